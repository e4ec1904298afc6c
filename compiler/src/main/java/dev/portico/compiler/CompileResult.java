package dev.portico.compiler;

import dev.portico.snapshot.Snapshot;
import java.util.Collections;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The compiler's output, handed to the status writer and the snapshot publisher.
 *
 * @param snapshots by DataPlane {@code namespace/name}; a DataPlane that is not accepted has none,
 *     so its replicas keep the last good snapshot
 * @param verdicts one per input DataPlane, GatewayRoute and RateLimitPolicy
 * @param changed the keys whose verdict is new or differs from the previous compile of the same
 *     {@link Compiler} (status passes need only these)
 * @param removed the keys the previous compile had a verdict for and this one has not
 */
public record CompileResult(
    SortedMap<String, Snapshot> snapshots,
    SortedMap<ObjectKey, Verdict> verdicts,
    SortedSet<ObjectKey> changed,
    SortedSet<ObjectKey> removed) {

  public CompileResult {
    snapshots = Collections.unmodifiableSortedMap(new TreeMap<>(snapshots));
    verdicts = Collections.unmodifiableSortedMap(new TreeMap<>(verdicts));
    changed = Collections.unmodifiableSortedSet(new TreeSet<>(changed));
    removed = Collections.unmodifiableSortedSet(new TreeSet<>(removed));
  }

  /** A result without a previous one: every verdict counts as changed. */
  public CompileResult(
      SortedMap<String, Snapshot> snapshots, SortedMap<ObjectKey, Verdict> verdicts) {
    this(snapshots, verdicts, new TreeSet<>(verdicts.keySet()), new TreeSet<>());
  }

  public Verdict verdict(ObjectKey key) {
    return verdicts.get(key);
  }
}
