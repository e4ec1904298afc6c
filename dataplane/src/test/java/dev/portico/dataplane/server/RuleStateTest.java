package dev.portico.dataplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.snapshot.RuleConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A state built with {@link RuleState#next} over many deltas (written on top of a shared base,
 * merged into a new base now and then) holds exactly the rules it was given, and never changes the
 * states it was made from, which replicas keep serving until the swap.
 */
class RuleStateTest {
  private static RuleConfig rule(String id, int edit) {
    return new RuleConfig(
        id, "ns/r", "e" + edit, null, null, null, null, null, null, List.of(), null, null);
  }

  @Test
  void deltasOnASharedBaseGiveWhatAFreshStateHolds() {
    Random random = new Random(5);
    Map<String, RuleConfig> expected = new HashMap<>();
    RuleState state = RuleState.empty();
    for (int i = 0; i < 200; i++) {
      RuleConfig r = rule("r" + i, 0);
      state.put(r, null, null);
      expected.put(r.id(), r);
    }
    RuleState served = state;
    Map<String, RuleConfig> servedExpected = new HashMap<>(expected);
    for (int step = 1; step <= 400; step++) {
      RuleState next = served.next();
      for (int k = 0; k < 1 + random.nextInt(3); k++) {
        String id = "r" + random.nextInt(260);
        if (random.nextInt(3) == 0) {
          next.remove(id);
          expected.remove(id);
        } else {
          RuleConfig r = rule(id, step);
          next.remove(id); // as a load does for an updated rule
          next.put(r, served, null);
          expected.put(id, r);
        }
      }
      assertHolds(served, servedExpected, "the served state after building step " + step);
      assertHolds(next, expected, "step " + step);
      served = next;
      servedExpected = new HashMap<>(expected);
    }
  }

  private static void assertHolds(RuleState state, Map<String, RuleConfig> expected, String what) {
    for (int i = 0; i < 260; i++) {
      String id = "r" + i;
      assertThat(state.rule(id)).as("%s: %s", what, id).isSameAs(expected.get(id));
    }
  }
}
