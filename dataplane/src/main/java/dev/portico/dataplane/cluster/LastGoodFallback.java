package dev.portico.dataplane.cluster;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode's start without an operator: when the first connection to the operator fails, or no
 * snapshot arrives within a few seconds (whichever comes first), and the stream has offered nothing
 * yet, serves the last known good snapshot the operator stored in the cluster. A snapshot from the
 * stream always wins: it is never replaced by the stored one, and replaces it.
 */
final class LastGoodFallback implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LastGoodFallback.class);

  private final Callable<Optional<LastGoodSnapshot.Found>> store;
  private final BooleanSupplier streamed;
  private final Predicate<byte[]> offerIfNothingYet;
  private final Duration wait;
  private final Duration retry;
  private final AtomicBoolean triggered = new AtomicBoolean();
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "portico-last-good");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param streamed whether the stream has offered the applier a snapshot yet
   * @param offerIfNothingYet hands the applier the stored snapshot unless the stream did first
   * @param wait how long a replica waits for the operator's first snapshot (5 s in a pod)
   * @param retry how soon to read again when the API server could not answer
   */
  LastGoodFallback(
      Callable<Optional<LastGoodSnapshot.Found>> store,
      BooleanSupplier streamed,
      Predicate<byte[]> offerIfNothingYet,
      Duration wait,
      Duration retry) {
    this.store = store;
    this.streamed = streamed;
    this.offerIfNothingYet = offerIfNothingYet;
    this.wait = wait;
    this.retry = retry;
  }

  /** Starts the wait for the operator's first snapshot; call with the channel's start. */
  void start() {
    schedule(
        () -> trigger("no snapshot from the operator within " + wait.toMillis() + " ms"), wait);
  }

  /** The channel could not reach the operator or lost the stream; only the first call counts. */
  void connectionFailed(String why) {
    trigger(why);
  }

  private void trigger(String why) {
    if (triggered.compareAndSet(false, true)) {
      schedule(() -> attempt(why), Duration.ZERO);
    }
  }

  private void attempt(String why) {
    if (streamed.getAsBoolean()) {
      return;
    }
    Optional<LastGoodSnapshot.Found> found;
    try {
      found = store.call();
    } catch (Exception e) {
      LOG.warn(
          "cannot read the last known good snapshot: {}; trying again in {} ms",
          e.getMessage(),
          retry.toMillis());
      schedule(() -> attempt(why), retry);
      return;
    }
    if (found.isEmpty()) {
      return; // why is logged by the reader; the replica waits for the operator
    }
    LastGoodSnapshot.Found f = found.get();
    if (offerIfNothingYet.test(f.line())) {
      LOG.warn(
          "serving last known good snapshot {} stored at {} in {} until the operator answers ({})",
          f.version(),
          f.storedAt(),
          f.location(),
          why);
    } else {
      LOG.info("the operator's snapshot came first; not serving the stored {}", f.version());
    }
  }

  private void schedule(Runnable task, Duration delay) {
    try {
      thread.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
