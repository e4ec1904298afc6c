package dev.portico.operator.compile;

import dev.portico.compiler.CompileResult;
import dev.portico.compiler.ObjectKey;
import dev.portico.compiler.Verdict;
import dev.portico.operator.publish.SnapshotPublisher;
import dev.portico.snapshot.Snapshot;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether an object is programmed on a DataPlane: the snapshot the DataPlane's replicas run
 * is no older than the first snapshot that had the object's latest change. Each DataPlane numbers
 * its snapshot versions in order (an index that moves only when the version does), and each object
 * remembers the index at which it last changed. Comparing indexes instead of versions keeps an
 * unchanged route Programmed while its DataPlane rolls to a snapshot that only other routes
 * changed; otherwise every edit would flip (and rewrite) the status of every route.
 */
public final class ProgramTracker {
  /** Versions older than this are forgotten; replicas that far behind count as pending. */
  private static final int VERSIONS_KEPT = 64;

  private record Change(ObjectKey key, String dataPlane) {}

  private final SnapshotPublisher publisher;
  private final Map<String, Long> index = new HashMap<>();
  private final Map<String, String> currentVersion = new HashMap<>();
  private final Map<String, Map<String, Long>> versionIndex = new HashMap<>();
  private final Map<Change, Long> changedAt = new HashMap<>();

  ProgramTracker(SnapshotPublisher publisher) {
    this.publisher = publisher;
  }

  /** Records one compile: new versions get the next index; changed objects remember it. */
  synchronized void compiled(CompileResult result, Set<ObjectKey> changed) {
    for (Map.Entry<String, Snapshot> e : result.snapshots().entrySet()) {
      String dp = e.getKey();
      String version = e.getValue().version();
      if (!version.equals(currentVersion.get(dp))) {
        long next = index.merge(dp, 1L, Long::sum);
        currentVersion.put(dp, version);
        versionIndex.computeIfAbsent(dp, k -> bounded()).put(version, next);
      }
    }
    index.keySet().retainAll(result.snapshots().keySet());
    currentVersion.keySet().retainAll(result.snapshots().keySet());
    versionIndex.keySet().retainAll(result.snapshots().keySet());
    for (ObjectKey key : changed) {
      Verdict verdict = result.verdict(key);
      for (String dp : verdict.dataPlanes()) {
        changedAt.put(new Change(key, dp), index.getOrDefault(dp, 0L));
      }
    }
    if (!result.removed().isEmpty()) {
      changedAt.keySet().removeIf(c -> result.removed().contains(c.key()));
    }
  }

  /** The index of the version the DataPlane's replicas run, if they agree on one we know. */
  public synchronized Optional<Long> programmedIndex(String dataPlane) {
    return publisher
        .programmedVersion(dataPlane)
        .map(v -> versionIndex.getOrDefault(dataPlane, Map.of()).get(v));
  }

  /** True when the DataPlane's replicas run a snapshot that has the object's latest change. */
  public synchronized boolean programmed(ObjectKey key, String dataPlane) {
    Long changed = changedAt.get(new Change(key, dataPlane));
    return changed != null && programmedIndex(dataPlane).map(i -> i >= changed).orElse(false);
  }

  /** The DataPlane's version index at which the object last changed; -1 when unknown. */
  public synchronized long changedAt(ObjectKey key, String dataPlane) {
    return changedAt.getOrDefault(new Change(key, dataPlane), -1L);
  }

  public SnapshotPublisher publisher() {
    return publisher;
  }

  private static Map<String, Long> bounded() {
    return new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
        return size() > VERSIONS_KEPT;
      }
    };
  }
}
