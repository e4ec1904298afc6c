package dev.portico.dataplane.cluster;

import dev.portico.dataplane.discovery.EndpointSliceDiscovery;
import dev.portico.dataplane.server.Gateway;
import dev.portico.snapshot.Snapshot;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies snapshot lines off the event loop: read every pending line in order (a delta needs the
 * line before it), start discovery of the Services the newest snapshot names and wait for their
 * endpoints, swap it in, then answer the operator. A replica that falls behind reads what it missed
 * but serves only the newest.
 */
public final class SnapshotApplier implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotApplier.class);

  /** New Services' endpoints are usually there in milliseconds; past this, serve anyway. */
  private static final long DISCOVERY_WAIT_MILLIS = 10_000;

  private static final long APPLY_WAIT_MILLIS = 30_000;

  /** Where the answers go: the channel client, or a test. */
  public interface Answers {
    void acknowledge(String version, boolean applied, String reason);
  }

  private final Gateway gateway;
  private final EndpointSliceDiscovery discovery;
  private final AtomicReference<Answers> answers = new AtomicReference<>();
  private final Queue<byte[]> pending = new ConcurrentLinkedQueue<>();
  private final SnapshotFrames frames;
  private volatile Runnable resync = () -> {};
  private boolean streamed; // guarded by this, with the pending line it goes with
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "portico-snapshot-apply");
            t.setDaemon(true);
            return t;
          });

  public SnapshotApplier(Gateway gateway, EndpointSliceDiscovery discovery) {
    this.gateway = gateway;
    this.discovery = discovery;
    this.frames = new SnapshotFrames(gateway::snapshot);
  }

  public void answerTo(Answers target) {
    answers.set(target);
  }

  /** Called when a delta does not fit: the stream must start again from what is served. */
  public void onResync(Runnable action) {
    resync = action;
  }

  /** Takes a line from the stream; returns at once. */
  public void offer(byte[] line) {
    synchronized (this) {
      streamed = true;
      pending.add(line);
    }
    worker.execute(this::drain);
  }

  /**
   * Takes a line from elsewhere than the stream (the last known good snapshot) only while the
   * stream has offered none, so that it never replaces what the operator sent; a later stream line
   * replaces it as usual. Returns at once.
   *
   * @return whether it was taken
   */
  public boolean offerIfNothingYet(byte[] line) {
    synchronized (this) {
      if (streamed) {
        return false;
      }
      pending.add(line);
    }
    worker.execute(this::drain);
    return true;
  }

  /** Whether the stream has offered a line yet. */
  public synchronized boolean streamed() {
    return streamed;
  }

  private void drain() {
    if (pending.isEmpty()) {
      return; // an earlier task read every line
    }
    long start = System.nanoTime();
    long bytes = 0;
    Snapshot snapshot = null;
    for (byte[] line = pending.poll(); line != null; line = pending.poll()) {
      bytes += line.length;
      SnapshotFrames.Frame frame = frames.read(line);
      if (frame.problem() != null) {
        refuse(frame.version(), frame.problem());
        if (frame.resync()) {
          pending.clear(); // later deltas build on this one
          resync.run();
          break;
        }
      } else {
        snapshot = frame.snapshot();
      }
    }
    if (snapshot == null) {
      return;
    }
    long decoded = System.nanoTime();
    Snapshot current = gateway.snapshot();
    if (current != null && current.version().equals(snapshot.version())) {
      answer(snapshot.version(), true, null);
      return;
    }
    long discovered = 0;
    try {
      discovery.watch(snapshot).get(DISCOVERY_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      discovered = System.nanoTime();
    } catch (TimeoutException e) {
      LOG.warn(
          "endpoints of snapshot {} not all discovered after {} ms; serving it anyway",
          snapshot.version(),
          DISCOVERY_WAIT_MILLIS);
    } catch (ExecutionException e) {
      LOG.warn("endpoint discovery for snapshot {} failed: {}", snapshot.version(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    long waited = System.nanoTime(); // discovered or given up on
    try {
      gateway
          .apply(snapshot)
          .toCompletionStage()
          .toCompletableFuture()
          .get(APPLY_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      long applied = System.nanoTime();
      if (gateway.metrics() != null) {
        gateway.metrics().snapshotApplied(decoded - start, waited - decoded, applied - waited);
      }
      // Where propagation time goes on the replica: read and check, endpoints, table swap.
      LOG.info(
          "serving snapshot {} ({} KiB read; decode+check {} ms, discovery {} ms, apply {} ms)",
          snapshot.version(),
          bytes / 1024,
          (decoded - start) / 1_000_000,
          discovered == 0 ? -1 : (discovered - decoded) / 1_000_000,
          discovered == 0 ? -1 : (applied - discovered) / 1_000_000);
      answer(snapshot.version(), true, null);
    } catch (ExecutionException e) {
      refuse(snapshot.version(), String.valueOf(e.getCause().getMessage()));
    } catch (TimeoutException e) {
      refuse(snapshot.version(), "applying it timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void refuse(String version, String reason) {
    LOG.error("refused snapshot {}, still serving the previous one: {}", version, reason);
    answer(version, false, reason);
  }

  private void answer(String version, boolean applied, String reason) {
    Answers target = answers.get();
    if (target != null) {
      target.acknowledge(version, applied, reason);
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
