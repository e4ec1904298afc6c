package dev.portico.operator.publish;

import dev.portico.snapshot.Snapshot;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the latest snapshot of every DataPlane, with no replicas behind it: a published version
 * counts as programmed. For compiling and reporting without data planes (tests, dry runs).
 */
public final class LatestSnapshotPublisher implements SnapshotPublisher {
  private final Map<String, Snapshot> latest = new ConcurrentHashMap<>();

  @Override
  public void publish(Map<String, Snapshot> snapshots) {
    latest.putAll(snapshots);
    // A DataPlane that disappeared or stopped compiling keeps nothing to serve from here; its
    // replicas keep their last good snapshot in memory.
    latest.keySet().retainAll(snapshots.keySet());
  }

  @Override
  public Optional<String> programmedVersion(String dataPlane) {
    return Optional.ofNullable(latest.get(dataPlane)).map(Snapshot::version);
  }

  @Override
  public String pending(String dataPlane, String wanted) {
    return "snapshot " + wanted + " of " + dataPlane + " is not published yet";
  }

  public Optional<Snapshot> latest(String dataPlane) {
    return Optional.ofNullable(latest.get(dataPlane));
  }
}
