package dev.portico.operator.status;

import static dev.portico.api.dataplane.ReplicaSnapshotStatus.MAX_REASON;
import static dev.portico.api.dataplane.ReplicaSnapshotStatus.MAX_VERSION;

import dev.portico.api.dataplane.DataPlane;
import dev.portico.api.dataplane.ReplicaSnapshotStatus;
import dev.portico.operator.publish.ReplicaState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * Reports a snapshot a data-plane replica refuses as one Warning Event on its DataPlane, so {@code
 * kubectl describe dp} and Event-based alerting see the NACK: once per (replica, version), not on
 * every status pass that still shows it.
 */
public final class RefusalEvents {
  public static final String REASON = "SnapshotRefused";

  /**
   * Refusals remembered across status passes; bounded so that a long-lived operator stays small.
   */
  private static final int REMEMBERED = 4096;

  private final EventRecorder events;
  private final Set<String> reported =
      Collections.newSetFromMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > REMEMBERED;
            }
          });

  public RefusalEvents(EventRecorder events) {
    this.events = events;
  }

  /**
   * Records an Event for each refusal among the DataPlane's connected replicas that neither this
   * operator nor the DataPlane's status has reported. The status counts because a new leader starts
   * with nothing remembered, and a replica that reconnects to it refuses the same version again.
   */
  public void report(DataPlane dataPlane, SortedMap<String, ReplicaState> replicas) {
    String owner =
        dataPlane.getMetadata().getUid() != null
            ? dataPlane.getMetadata().getUid()
            : dataPlane.getMetadata().getNamespace() + "/" + dataPlane.getMetadata().getName();
    List<String> messages = new ArrayList<>();
    synchronized (reported) {
      if (dataPlane.getStatus() != null && dataPlane.getStatus().replicaSnapshots != null) {
        for (ReplicaSnapshotStatus shown : dataPlane.getStatus().replicaSnapshots) {
          if (shown.refusedVersion != null) {
            reported.add(key(owner, shown.replica, shown.refusedVersion));
          }
        }
      }
      for (var e : replicas.entrySet()) {
        ReplicaState state = e.getValue();
        String refused = ReplicaSnapshots.truncate(state.refusedVersion(), MAX_VERSION);
        if (refused != null && reported.add(key(owner, e.getKey(), refused))) {
          messages.add(message(e.getKey(), state));
        }
      }
    }
    for (String message : messages) {
      events.warning(dataPlane, REASON, message);
    }
  }

  private static String message(String replica, ReplicaState state) {
    return "replica "
        + replica
        + " refused snapshot "
        + ReplicaSnapshots.truncate(state.refusedVersion(), MAX_VERSION)
        + ": "
        + ReplicaSnapshots.truncate(state.refusedReason(), MAX_REASON)
        + (state.running() == null
            ? "; it serves no snapshot yet"
            : "; it keeps serving snapshot "
                + ReplicaSnapshots.truncate(state.running(), MAX_VERSION));
  }

  private static String key(String owner, String replica, String version) {
    return owner + "\n" + replica + "\n" + version;
  }
}
