package dev.portico.operator.compile;

import dev.portico.operator.publish.ReplicaState;
import dev.portico.operator.publish.SnapshotPublisher;
import dev.portico.snapshot.Snapshot;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Replicas that run whatever version the test says; they ignore what is published. One replica is
 * connected when the test says so.
 */
final class FakeReplicas implements SnapshotPublisher {
  volatile String running;
  volatile boolean connected;

  @Override
  public SortedMap<String, ReplicaState> replicas(String dataPlane) {
    SortedMap<String, ReplicaState> all = new TreeMap<>();
    if (connected) {
      all.put("replica-0", new ReplicaState(running, null, null));
    }
    return all;
  }

  @Override
  public void publish(Map<String, Snapshot> snapshots) {}

  @Override
  public Optional<String> programmedVersion(String dataPlane) {
    return Optional.ofNullable(running);
  }

  @Override
  public String pending(String dataPlane, String wanted) {
    return "waiting for the replicas of " + dataPlane + " to run " + wanted;
  }
}
