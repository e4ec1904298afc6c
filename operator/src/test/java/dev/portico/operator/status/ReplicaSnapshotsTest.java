package dev.portico.operator.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.portico.api.dataplane.ReplicaSnapshotStatus;
import dev.portico.operator.publish.ReplicaState;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The mapping from connected replicas to DataPlane.status.replicaSnapshots. */
class ReplicaSnapshotsTest {
  private static final String V1 = "a".repeat(64);
  private static final String V2 = "b".repeat(64);

  @Test
  void oneEntryPerReplicaSortedByNameWithWhatItRunsAndRefused() {
    SortedMap<String, ReplicaState> replicas = new TreeMap<>();
    replicas.put("edge-b", new ReplicaState(V1, V2, "address already in use"));
    replicas.put("edge-a", new ReplicaState(V2, null, null));
    replicas.put("edge-c", new ReplicaState(null, null, null));

    List<ReplicaSnapshotStatus> out = ReplicaSnapshots.of(replicas);

    assertThat(out)
        .extracting(s -> s.replica, s -> s.version, s -> s.refusedVersion, s -> s.refusedReason)
        .containsExactly(
            tuple("edge-a", V2, null, null),
            tuple("edge-b", V1, V2, "address already in use"),
            tuple("edge-c", null, null, null));
    // Absent fields are left out, not written as null: the API server returns them that way.
    assertThat(Serialization.asJson(out.get(2))).isEqualTo("{\"replica\":\"edge-c\"}");
  }

  @Test
  void theSameStatesGiveTheSameStatusWhateverOrderTheyArrivedIn() {
    SortedMap<String, ReplicaState> one = new TreeMap<>();
    one.put("b", new ReplicaState(V1, null, null));
    one.put("a", new ReplicaState(V1, V2, "no"));
    SortedMap<String, ReplicaState> two = new TreeMap<>();
    two.put("a", new ReplicaState(V1, V2, "no"));
    two.put("b", new ReplicaState(V1, null, null));

    assertThat(Serialization.asJson(ReplicaSnapshots.of(one)))
        .isEqualTo(Serialization.asJson(ReplicaSnapshots.of(two)));
  }

  @Test
  void listsTheFirstHundredReplicasByName() {
    SortedMap<String, ReplicaState> replicas = new TreeMap<>();
    for (int i = 0; i < 130; i++) {
      replicas.put("edge-%03d".formatted(i), new ReplicaState(V1, null, null));
    }

    List<ReplicaSnapshotStatus> out = ReplicaSnapshots.of(replicas);

    assertThat(out).hasSize(100);
    assertThat(out.get(0).replica).isEqualTo("edge-000");
    assertThat(out.get(99).replica).isEqualTo("edge-099");
  }

  @Test
  void aLongReasonIsCutToTheSchemasLimitAndSaysSo() {
    SortedMap<String, ReplicaState> replicas = new TreeMap<>();
    replicas.put("edge-a", new ReplicaState(V1, V2, "x".repeat(900)));

    String reason = ReplicaSnapshots.of(replicas).get(0).refusedReason;

    assertThat(reason).hasSize(256).startsWith("xxx").endsWith("x…");
  }

  @Test
  void truncationNeverSplitsASurrogatePair() {
    // 254 ASCII characters then an emoji (two UTF-16 units) straddling the cut at 255.
    String text = "y".repeat(254) + "\uD83D\uDE00" + "tail";

    String cut = ReplicaSnapshots.truncate(text, 256);

    assertThat(cut).isEqualTo("y".repeat(254) + "…");
    assertThat(ReplicaSnapshots.truncate("short", 256)).isEqualTo("short");
    assertThat(ReplicaSnapshots.truncate(null, 256)).isNull();
  }
}
