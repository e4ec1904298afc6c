package dev.portico.operator.status;

import static dev.portico.api.dataplane.DataPlaneStatus.MAX_REPLICA_SNAPSHOTS;
import static dev.portico.api.dataplane.ReplicaSnapshotStatus.MAX_REASON;
import static dev.portico.api.dataplane.ReplicaSnapshotStatus.MAX_VERSION;

import dev.portico.api.dataplane.ReplicaSnapshotStatus;
import dev.portico.operator.publish.ReplicaState;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * Maps the replicas connected to the snapshot channel onto {@code DataPlane.status
 * .replicaSnapshots}. The list depends only on the replicas' states (sorted by name, bounded,
 * truncated), so the same states give the same status and the StatusWriter's comparison writes
 * nothing; the bounds keep whatever a replica reports inside the CRD's schema.
 */
public final class ReplicaSnapshots {
  private ReplicaSnapshots() {}

  public static List<ReplicaSnapshotStatus> of(SortedMap<String, ReplicaState> replicas) {
    List<ReplicaSnapshotStatus> out = new ArrayList<>();
    for (var e : replicas.entrySet()) {
      if (out.size() == MAX_REPLICA_SNAPSHOTS) {
        break;
      }
      ReplicaState state = e.getValue();
      out.add(
          new ReplicaSnapshotStatus(
              e.getKey(),
              truncate(state.running(), MAX_VERSION),
              truncate(state.refusedVersion(), MAX_VERSION),
              truncate(state.refusedReason(), MAX_REASON)));
    }
    return out;
  }

  /**
   * At most {@code max} UTF-16 units (so at most {@code max} characters as the API server counts
   * them), ending in "…" when cut, never splitting a surrogate pair.
   */
  static String truncate(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    int end = max - 1;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "…";
  }
}
