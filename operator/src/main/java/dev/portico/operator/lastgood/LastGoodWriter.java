package dev.portico.operator.lastgood;

import dev.portico.api.dataplane.DataPlane;
import dev.portico.operator.workload.WorkloadNames;
import dev.portico.snapshot.Snapshot;
import dev.portico.snapshot.StoredSnapshot;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Beside the snapshot channel: once a replica has applied a version of its DataPlane's snapshot,
 * the leader stores that version in the cluster ({@link LastGoodStore}), so that a replica that
 * starts while the operator is down serves it instead of nothing. Only good versions (applied by at
 * least one replica), the newest of them, at most one write per DataPlane every two seconds, on its
 * own thread: never on the compile thread or a reconciler's.
 */
public final class LastGoodWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LastGoodWriter.class);

  /** Versions remembered per DataPlane: a replica may ack one that is no longer the latest. */
  private static final int HISTORY = 4;

  private static final Duration RETRY = Duration.ofSeconds(30);
  private static final Duration DELETE_WAIT = Duration.ofSeconds(30);
  public static final String TOO_LARGE_REASON = "LastKnownGoodTooLarge";

  /** One compiled version; {@code seq} orders versions by when they were compiled. */
  private record Published(long seq, Snapshot snapshot) {}

  /** What this leader knows the store holds; seq -1 when the version is not in the history. */
  private record Written(String version, long seq, int chunks) {}

  private final LastGoodStore store;
  private final Function<String, Collection<String>> running;
  private final Function<String, Optional<DataPlane>> dataPlanes;
  private final BiConsumer<DataPlane, String> tooLarge;
  private final int chunkBytes;
  private final long minIntervalNanos;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "portico-last-good");
            t.setDaemon(true);
            return t;
          });

  private final Map<String, LinkedHashMap<String, Published>> history = new HashMap<>();
  private long seq; // guarded by history
  private final Set<String> scheduled = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> lastWriteNanos = new ConcurrentHashMap<>();
  private final Set<String> retired = ConcurrentHashMap.newKeySet();
  private final Map<String, Written> written = new HashMap<>(); // writer thread only
  private final Map<String, String> refused = new HashMap<>(); // writer thread only
  private volatile boolean leader;
  private volatile boolean closed;

  /**
   * @param running the versions a DataPlane's connected replicas have applied
   * @param dataPlanes the DataPlane of an id, from the informer cache
   * @param tooLarge reports a snapshot that does not fit {@value StoredSnapshot#MAX_CHUNKS} chunks
   * @param chunkBytes {@link StoredSnapshot#CHUNK_BYTES} but in tests
   */
  public LastGoodWriter(
      LastGoodStore store,
      Function<String, Collection<String>> running,
      Function<String, Optional<DataPlane>> dataPlanes,
      BiConsumer<DataPlane, String> tooLarge,
      int chunkBytes,
      Duration minInterval) {
    this.store = store;
    this.running = running;
    this.dataPlanes = dataPlanes;
    this.tooLarge = tooLarge;
    this.chunkBytes = chunkBytes;
    this.minIntervalNanos = minInterval.toNanos();
  }

  /** Where the Secrets are: the operator's namespace. */
  public String namespace() {
    return store.namespace();
  }

  /** After each compile: remembers the versions its replicas may soon report as applied. */
  public void published(Map<String, Snapshot> snapshots) {
    List<String> changed = new ArrayList<>();
    synchronized (history) {
      for (var e : snapshots.entrySet()) {
        var versions = history.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>());
        String version = e.getValue().version();
        Published last = null;
        for (Published p : versions.values()) {
          last = p; // insertion order: the latest compiled comes last
        }
        if (last == null || !last.snapshot().version().equals(version)) {
          versions.remove(version); // a reverted change is new again
          versions.put(version, new Published(++seq, e.getValue()));
          Iterator<String> oldest = versions.keySet().iterator();
          while (versions.size() > HISTORY) {
            oldest.next();
            oldest.remove();
          }
          changed.add(e.getKey());
        }
      }
      history.keySet().retainAll(snapshots.keySet());
    }
    // A replica may have applied the new version before it was remembered here.
    changed.forEach(this::replicasChanged);
  }

  /** What a DataPlane's replicas run may have changed. */
  public void replicasChanged(String dataPlane) {
    if (leader && !closed) {
      schedule(dataPlane, 0);
    }
  }

  /** On becoming leader: what the store holds is read again, then brought up to date. */
  public void lead() {
    leader = true;
    execute(written::clear);
    List<String> known;
    synchronized (history) {
      known = List.copyOf(history.keySet());
    }
    known.forEach(this::replicasChanged);
  }

  public void stopLeading() {
    leader = false;
  }

  /**
   * Deletes a DataPlane's stored snapshot (from its finalizer; it cannot own Secrets in another
   * namespace) and never writes it again; waits, so the finalizer is released only once it is gone.
   */
  public void forget(DataPlane dp) {
    String id = dp.getMetadata().getNamespace() + "/" + dp.getMetadata().getName();
    if (dp.getMetadata().getUid() != null) {
      retired.add(dp.getMetadata().getUid());
    }
    try {
      thread
          .submit(
              () -> {
                written.remove(id);
                refused.remove(id);
                store.delete(WorkloadNames.lastGood(id));
              })
          .get(DELETE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    } catch (TimeoutException | RejectedExecutionException e) {
      throw new IllegalStateException("cannot delete the last known good snapshot of " + id, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted deleting the last known good snapshot", e);
    }
  }

  private void schedule(String dataPlane, long extraDelayNanos) {
    if (closed || !scheduled.add(dataPlane)) {
      return; // one pending write per DataPlane: when it runs, it takes the newest good version
    }
    Long last = lastWriteNanos.get(dataPlane);
    long wait = last == null ? 0 : Math.max(0, minIntervalNanos - (System.nanoTime() - last));
    try {
      thread.schedule(
          () -> {
            scheduled.remove(dataPlane);
            // Scheduled while the previous write was still going (its time not yet recorded):
            // the interval counts from that write, so wait the rest of it now.
            Long previous = lastWriteNanos.get(dataPlane);
            if (previous != null && System.nanoTime() - previous < minIntervalNanos) {
              schedule(dataPlane, 0);
              return;
            }
            store(dataPlane);
          },
          wait + extraDelayNanos,
          TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      scheduled.remove(dataPlane); // closed
    }
  }

  private void store(String dataPlane) {
    if (!leader || closed) {
      return;
    }
    Published good = newestGood(dataPlane);
    Optional<DataPlane> dp = dataPlanes.apply(dataPlane);
    if (good == null
        || dp.isEmpty()
        || dp.get().getMetadata().getDeletionTimestamp() != null
        || retired.contains(String.valueOf(dp.get().getMetadata().getUid()))) {
      return;
    }
    String version = good.snapshot().version();
    String prefix = WorkloadNames.lastGood(dataPlane);
    try {
      Written current = written.get(dataPlane);
      if (current == null) {
        LastGoodStore.Stored stored = store.stored(prefix);
        current =
            stored == null
                ? new Written(null, -1, 0)
                : new Written(
                    stored.version(), seqOf(dataPlane, stored.version()), stored.chunks());
        written.put(dataPlane, current);
      }
      // An older good version (a lagging replica) never replaces a newer stored one.
      if (version.equals(current.version()) || good.seq() <= current.seq()) {
        return;
      }
      StoredSnapshot.Packed packed = StoredSnapshot.pack(good.snapshot(), chunkBytes);
      if (!packed.fits()) {
        if (!version.equals(refused.put(dataPlane, version))) {
          String message =
              "snapshot "
                  + version
                  + " is "
                  + packed.gzipBytes() / 1024
                  + " KiB compressed, more than the "
                  + StoredSnapshot.MAX_CHUNKS
                  + " Secrets of "
                  + chunkBytes / 1024
                  + " KiB its last known good copy may use; "
                  + (current.version() == null
                      ? "a replica that starts while the operator is down has none to serve"
                      : "a replica that starts while the operator is down serves the older "
                          + current.version());
          LOG.warn("not storing the last known good snapshot of {}: {}", dataPlane, message);
          tooLarge.accept(dp.get(), message);
        }
        return;
      }
      store.write(dataPlane, prefix, packed, current.chunks());
      written.put(dataPlane, new Written(version, good.seq(), packed.chunks().size()));
      lastWriteNanos.put(dataPlane, System.nanoTime());
      LOG.info(
          "stored the last known good snapshot {} of {} ({} bytes gzip) in {} Secret(s) {}/{}-*",
          version,
          dataPlane,
          packed.gzipBytes(),
          packed.chunks().size(),
          store.namespace(),
          prefix);
    } catch (KubernetesClientException e) {
      written.remove(dataPlane); // unknown now: read chunk 0 again before the next write
      lastWriteNanos.put(dataPlane, System.nanoTime());
      LOG.warn(
          "cannot store the last known good snapshot {} of {} in {}: {}; retrying in {} s",
          version,
          dataPlane,
          store.namespace(),
          e.getMessage(),
          RETRY.toSeconds());
      schedule(dataPlane, RETRY.toNanos());
    }
  }

  private Published newestGood(String dataPlane) {
    Collection<String> applied = running.apply(dataPlane);
    synchronized (history) {
      Published best = null;
      for (Published p : history.getOrDefault(dataPlane, new LinkedHashMap<>()).values()) {
        if (applied.contains(p.snapshot().version()) && (best == null || p.seq() > best.seq())) {
          best = p;
        }
      }
      return best;
    }
  }

  private long seqOf(String dataPlane, String version) {
    synchronized (history) {
      Published p = history.getOrDefault(dataPlane, new LinkedHashMap<>()).get(version);
      return p == null ? -1 : p.seq();
    }
  }

  private void execute(Runnable task) {
    try {
      thread.execute(task);
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.shutdownNow();
  }
}
