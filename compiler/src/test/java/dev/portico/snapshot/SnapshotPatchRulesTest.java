package dev.portico.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portico.snapshot.SnapshotPatch.InvalidDeltaException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The rules of a patched snapshot: the delta's new, changed and removed rules applied to the base
 * by binary search must give what a map of every rule gives, keep the base's objects for the rest,
 * and refuse a removal the base cannot have had.
 */
class SnapshotPatchRulesTest {
  private static RuleConfig rule(String id, String name) {
    return new RuleConfig(
        id, "ns/r", name, null, null, null, null, null, null, List.of(), null, null);
  }

  @Test
  void randomDeltasGiveWhatAMapOfEveryRuleGives() throws Exception {
    Random random = new Random(5);
    for (int round = 0; round < 500; round++) {
      List<RuleConfig> base = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        if (random.nextInt(3) > 0) {
          base.add(rule(String.format("ns/r/%03d", i), "base"));
        }
      }
      List<RuleConfig> changed = new ArrayList<>();
      List<String> removed = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        String id = String.format("ns/r/%03d", i);
        boolean inBase = base.stream().anyMatch(r -> r.id().equals(id));
        int dice = random.nextInt(10);
        if (inBase && dice == 0) {
          removed.add(id);
        } else if (dice == 1) {
          changed.add(rule(id, "delta")); // new, or changed under the same id
        } else if (inBase && dice == 2) {
          removed.add(id); // removed and sent again: the delta's rule stays
          changed.add(rule(id, "again"));
        }
      }
      if (round % 5 == 0) {
        Collections.shuffle(changed, random); // not what SnapshotDiff sends, still read alike
      }
      List<RuleConfig> actual = SnapshotPatch.rules(List.copyOf(base), changed, removed);
      assertThat(actual).as("round %d", round).isEqualTo(reference(base, changed, removed));
      for (RuleConfig r : actual) {
        if (r.name().equals("base")) {
          assertThat(base).as("round %d", round).anyMatch(b -> b == r);
        }
      }
    }
  }

  @Test
  void aRemovalOfARuleTheBaseLacksIsRefused() {
    List<RuleConfig> base = List.of(rule("ns/a/0", "x"), rule("ns/c/0", "x"));
    assertThatThrownBy(() -> SnapshotPatch.rules(base, List.of(), List.of("ns/b/0")))
        .isInstanceOf(InvalidDeltaException.class)
        .hasMessageContaining("ns/b/0");
    assertThatThrownBy(
            () -> SnapshotPatch.rules(base, List.of(rule("ns/z/0", "y")), List.of("ns/z/0")))
        .isInstanceOf(InvalidDeltaException.class)
        .hasMessageContaining("ns/z/0");
  }

  @Test
  void anEmptyRuleDeltaKeepsTheBaseList() throws Exception {
    List<RuleConfig> base = List.of(rule("ns/a/0", "x"));
    assertThat(SnapshotPatch.rules(base, List.of(), List.of())).isSameAs(base);
  }

  private static List<RuleConfig> reference(
      List<RuleConfig> base, List<RuleConfig> changed, List<String> removed) {
    TreeMap<String, RuleConfig> rules = new TreeMap<>();
    base.forEach(r -> rules.put(r.id(), r));
    removed.forEach(rules::remove);
    changed.forEach(r -> rules.put(r.id(), r));
    return List.copyOf(rules.values());
  }
}
