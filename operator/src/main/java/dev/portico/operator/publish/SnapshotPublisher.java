package dev.portico.operator.publish;

import dev.portico.snapshot.Snapshot;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The last stage of the operator's pipeline: hands each DataPlane's snapshot to its replicas and
 * says which version they run, which is what {@code Programmed} reports.
 */
public interface SnapshotPublisher {
  /** Publishes the snapshots of one compile, keyed by DataPlane {@code namespace/name}. */
  void publish(Map<String, Snapshot> snapshots);

  /** The version the DataPlane's replicas run, when they agree on one. */
  Optional<String> programmedVersion(String dataPlane);

  /** Why the DataPlane does not run {@code wanted} yet, for the Programmed condition's message. */
  String pending(String dataPlane, String wanted);

  /** Each replica of the DataPlane connected here, by name; none without distribution. */
  default SortedMap<String, ReplicaState> replicas(String dataPlane) {
    return new TreeMap<>();
  }

  /**
   * True when no replica of the DataPlane is connected yet, shortly after this operator started
   * writing status: its replicas are still reconnecting, and "nothing connected" would flip every
   * object's Programmed (and rewrite every status) for nothing.
   */
  default boolean reconnecting(String dataPlane) {
    return false;
  }
}
