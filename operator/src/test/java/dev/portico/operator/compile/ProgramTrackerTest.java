package dev.portico.operator.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.compiler.CompileResult;
import dev.portico.compiler.ObjectKey;
import dev.portico.compiler.Verdict;
import dev.portico.snapshot.Snapshot;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ProgramTrackerTest {
  private static final String DP = "infra/public";
  private static final ObjectKey A = new ObjectKey("GatewayRoute", "team", "a");
  private static final ObjectKey B = new ObjectKey("GatewayRoute", "team", "b");

  private final FakeReplicas replicas = new FakeReplicas();
  private final ProgramTracker tracker = new ProgramTracker(replicas);

  @Test
  void anUnchangedRouteStaysProgrammedWhileOthersChangeTheSnapshot() {
    tracker.compiled(result("v1", A, B), Set.of(A, B));
    replicas.running = "v1";
    assertThat(tracker.programmed(A, DP)).isTrue();

    // B changes: the snapshot moves to v2, which the replicas do not run yet.
    tracker.compiled(result("v2", A, B), Set.of(B));
    assertThat(tracker.programmed(A, DP)).as("A is in v1 already").isTrue();
    assertThat(tracker.programmed(B, DP)).as("B's change is only in v2").isFalse();

    replicas.running = "v2";
    assertThat(tracker.programmed(B, DP)).isTrue();
  }

  @Test
  void aVerdictChangeThatLeavesTheSnapshotAloneDoesNotUnprogramTheRoute() {
    tracker.compiled(result("v1", A), Set.of(A));
    replicas.running = "v1";
    // Same snapshot version, new verdict (say, a message): still running what the route asks.
    tracker.compiled(result("v1", A), Set.of(A));
    assertThat(tracker.programmed(A, DP)).isTrue();
  }

  @Test
  void nothingIsProgrammedWithoutReplicasOrOnAnUnknownVersion() {
    tracker.compiled(result("v1", A), Set.of(A));
    assertThat(tracker.programmed(A, DP)).isFalse();
    replicas.running = "from-before-a-restart";
    assertThat(tracker.programmed(A, DP)).isFalse();
  }

  private static CompileResult result(String version, ObjectKey... routes) {
    TreeMap<ObjectKey, Verdict> verdicts = new TreeMap<>();
    for (ObjectKey route : routes) {
      verdicts.put(route, new Verdict(1L, List.of(), List.of(), List.of(DP)));
    }
    TreeMap<String, Snapshot> snapshots = new TreeMap<>();
    snapshots.put(
        DP,
        new Snapshot(
            DP, version, null, List.of(), List.of(), List.of(), List.of(), null, null, null));
    return new CompileResult(snapshots, verdicts);
  }
}
