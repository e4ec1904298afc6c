package dev.portico.operator.compile;

import dev.portico.operator.publish.SnapshotPublisher;
import dev.portico.snapshot.Snapshot;
import java.util.Map;
import java.util.Optional;

/** Replicas that run whatever version the test says; they ignore what is published. */
final class FakeReplicas implements SnapshotPublisher {
  String running;

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
