package dev.portico.operator.compile;

import dev.portico.compiler.CompileResult;
import dev.portico.compiler.ObjectKey;
import dev.portico.operator.publish.SnapshotPublisher;
import dev.portico.snapshot.Snapshot;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether an object is programmed: the snapshot its DataPlane's replicas run was compiled
 * no earlier than the object last changed. Comparing compile sequence numbers instead of versions
 * keeps an unchanged route Programmed while its DataPlane rolls to a snapshot that only other
 * routes changed; otherwise every edit would flip (and rewrite) the status of every route.
 */
public final class ProgramTracker {
  /** Versions older than this many compiles are forgotten; replicas that far behind are pending. */
  private static final int VERSIONS_KEPT = 64;

  private final SnapshotPublisher publisher;
  private final Map<ObjectKey, Long> changedAt = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Long>> versionSequence = new ConcurrentHashMap<>();
  private long sequence;

  ProgramTracker(SnapshotPublisher publisher) {
    this.publisher = publisher;
  }

  /** Records one compile: its sequence number for new versions and for the changed objects. */
  synchronized void compiled(CompileResult result, Set<ObjectKey> changed) {
    sequence++;
    for (ObjectKey key : changed) {
      changedAt.put(key, sequence);
    }
    changedAt.keySet().retainAll(result.verdicts().keySet());
    for (Map.Entry<String, Snapshot> e : result.snapshots().entrySet()) {
      Map<String, Long> versions =
          versionSequence.computeIfAbsent(
              e.getKey(),
              k ->
                  new LinkedHashMap<>() {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                      return size() > VERSIONS_KEPT;
                    }
                  });
      versions.putIfAbsent(e.getValue().version(), sequence);
    }
    versionSequence.keySet().retainAll(result.snapshots().keySet());
  }

  /** The compile that produced the version the DataPlane's replicas run, if they agree on one. */
  public synchronized Optional<Long> programmedSequence(String dataPlane) {
    return publisher
        .programmedVersion(dataPlane)
        .map(v -> versionSequence.getOrDefault(dataPlane, Map.of()).get(v));
  }

  /** True when the DataPlane's replicas run a snapshot that has the object's latest change. */
  public boolean programmed(ObjectKey key, String dataPlane) {
    Long changed = changedAt.getOrDefault(key, Long.MAX_VALUE);
    return programmedSequence(dataPlane).map(s -> s >= changed).orElse(false);
  }

  public long changedAt(ObjectKey key) {
    return changedAt.getOrDefault(key, Long.MAX_VALUE);
  }

  public SnapshotPublisher publisher() {
    return publisher;
  }
}
