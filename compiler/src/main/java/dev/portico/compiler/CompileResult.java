package dev.portico.compiler;

import dev.portico.snapshot.Snapshot;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The compiler's output, handed to the status writer and the snapshot publisher.
 *
 * @param snapshots by DataPlane {@code namespace/name}; a DataPlane that is not accepted has none,
 *     so its replicas keep the last good snapshot
 * @param verdicts one per input DataPlane, GatewayRoute and RateLimitPolicy
 */
public record CompileResult(
    SortedMap<String, Snapshot> snapshots, SortedMap<ObjectKey, Verdict> verdicts) {

  public CompileResult {
    snapshots = Collections.unmodifiableSortedMap(new TreeMap<>(snapshots));
    verdicts = Collections.unmodifiableSortedMap(new TreeMap<>(verdicts));
  }

  public Verdict verdict(ObjectKey key) {
    return verdicts.get(key);
  }
}
