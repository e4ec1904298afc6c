package dev.portico.operator.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.api.common.Conditions;
import dev.portico.api.common.Conditions.Reasons;
import dev.portico.api.ratelimit.RateLimitPolicy;
import dev.portico.compiler.CompileResult;
import dev.portico.compiler.ConditionVerdict;
import dev.portico.compiler.ObjectKey;
import dev.portico.compiler.Verdict;
import dev.portico.operator.status.StatusWriter;
import dev.portico.snapshot.Snapshot;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A RateLimitPolicy's Enforced condition, as {@link StatusWriter} derives it from the replicas'
 * acknowledgements ({@link ProgramTracker}, whose package this test lives in), and what Ready makes
 * of it.
 */
class PolicyEnforcedStatusTest {
  private static final String DP = "infra/public";

  private final FakeReplicas replicas = new FakeReplicas();
  private final ProgramTracker tracker = new ProgramTracker(replicas);
  private final StatusWriter writer =
      new StatusWriter(Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC), tracker);
  private final RateLimitPolicy policy = policy();
  private final ObjectKey key = ObjectKey.of(RateLimitPolicy.KIND, policy);

  @Test
  void enforcedOnceTheReplicasRunTheSnapshotThatHasThePolicy() {
    CompileResult result = compiled();
    assertThat(
            condition(writer.policyStatus(policy, result.verdicts().get(key), result), "Enforced"))
        .extracting(Condition::getStatus, Condition::getReason)
        .containsExactly("False", Reasons.PENDING);

    replicas.running = "v1";
    var status = writer.policyStatus(policy, result.verdicts().get(key), result);
    assertThat(condition(status, "Enforced"))
        .extracting(Condition::getStatus, Condition::getReason)
        .containsExactly("True", Reasons.ENFORCED);
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
  }

  @Test
  void aGlobalLimitKeepsThePolicyUnenforcedEvenWhenProgrammed() {
    CompileResult result =
        compiled(
            new ConditionVerdict(
                Conditions.ENFORCED,
                "False",
                Reasons.GLOBAL_STORE_UNAVAILABLE,
                "Global limits need a Redis store"));
    replicas.running = "v1";
    var status = writer.policyStatus(policy, result.verdicts().get(key), result);
    assertThat(condition(status, "Enforced"))
        .extracting(Condition::getStatus, Condition::getReason)
        .containsExactly("False", Reasons.GLOBAL_STORE_UNAVAILABLE);
    assertThat(condition(status, "Programmed").getStatus()).isEqualTo("True");
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
  }

  private CompileResult compiled(ConditionVerdict... extra) {
    List<ConditionVerdict> conditions = new ArrayList<>();
    conditions.add(new ConditionVerdict(Conditions.ACCEPTED, "True", Reasons.ACCEPTED, "attached"));
    conditions.add(
        new ConditionVerdict(Conditions.RESOLVED_REFS, "True", Reasons.RESOLVED_REFS, "ok"));
    conditions.addAll(List.of(extra));
    TreeMap<ObjectKey, Verdict> verdicts = new TreeMap<>();
    verdicts.put(key, new Verdict(1L, conditions, List.of(), List.of(DP)));
    TreeMap<String, Snapshot> snapshots = new TreeMap<>();
    snapshots.put(
        DP,
        new Snapshot(DP, "v1", null, List.of(), List.of(), List.of(), List.of(), null, null, null));
    CompileResult result = new CompileResult(snapshots, verdicts);
    tracker.compiled(result, Set.of(key));
    return result;
  }

  private static Condition condition(
      dev.portico.api.ratelimit.RateLimitPolicyStatus status, String type) {
    return status.conditions.stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " in " + status.conditions));
  }

  private static RateLimitPolicy policy() {
    RateLimitPolicy p = new RateLimitPolicy();
    p.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("infra")
            .withName("limits")
            .withGeneration(1L)
            .build());
    return p;
  }
}
