package dev.portico.dataplane.cluster;

import dev.portico.dataplane.discovery.EndpointSliceDiscovery;
import dev.portico.dataplane.server.Gateway;
import dev.portico.snapshot.Snapshot;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies snapshot lines one at a time, off the event loop: decode and check, start discovery of
 * the Services it names and wait for their endpoints, swap it in, then answer the operator. Only
 * the newest pending line is kept: a replica that falls behind skips straight to the latest.
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
  private final AtomicReference<byte[]> pending = new AtomicReference<>();
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
  }

  public void answerTo(Answers target) {
    answers.set(target);
  }

  /** Takes a line from the stream; returns at once. */
  public void offer(byte[] line) {
    synchronized (this) {
      streamed = true;
      pending.set(line);
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
      pending.set(line);
    }
    worker.execute(this::drain);
    return true;
  }

  /** Whether the stream has offered a line yet. */
  public synchronized boolean streamed() {
    return streamed;
  }

  private void drain() {
    byte[] line = pending.getAndSet(null);
    if (line == null) {
      return; // a later task already took the newest line
    }
    long start = System.nanoTime();
    SnapshotFrames.Frame frame = SnapshotFrames.read(line);
    long decoded = System.nanoTime();
    if (frame.problem() != null) {
      refuse(frame.version(), frame.problem());
      return;
    }
    Snapshot snapshot = frame.snapshot();
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
    try {
      gateway
          .apply(snapshot)
          .toCompletionStage()
          .toCompletableFuture()
          .get(APPLY_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      long applied = System.nanoTime();
      // Where propagation time goes on the replica: read and check, endpoints, table swap.
      LOG.info(
          "serving snapshot {} ({} KiB; decode+check {} ms, discovery {} ms, apply {} ms)",
          snapshot.version(),
          line.length / 1024,
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
