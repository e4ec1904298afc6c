package dev.portico.operator.compile;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debounces compile requests between the informers and the compiler. A request after a quiet period
 * compiles at once: a single edit should not wait for a burst that is not coming. Quiet means no
 * compile is scheduled, and either no compile started within the hold-off or no other request came
 * within half of it; the second case is edits that follow each other at human or pipeline pace
 * (apply, wait until served, apply the next), which a burst of applies never leaves between its
 * requests. Within a burst, a request schedules a compile after a short hold-off, later requests
 * push it back, but never past a maximum delay counted from the first request of the burst. So
 * 1,000 applies in a burst cost a few compiles, and a steady trickle of changes cannot starve the
 * compile. Compiles run one at a time on a single thread.
 */
public final class CompileScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CompileScheduler.class);

  private final long holdOffNanos;
  private final long maxDelayNanos;
  private final Runnable compile;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "portico-compile");
            t.setDaemon(true);
            return t;
          });
  private final Object lock = new Object();
  private long burstStartNanos = -1;
  private long lastRunNanos;
  private long lastRequestNanos;
  private boolean requested;
  private boolean ranOnce;
  private long token;

  public CompileScheduler(Duration holdOff, Duration maxDelay, Runnable compile) {
    if (holdOff.isNegative() || maxDelay.compareTo(holdOff) < 0) {
      throw new IllegalArgumentException("need 0 <= holdOff <= maxDelay");
    }
    this.holdOffNanos = holdOff.toNanos();
    this.maxDelayNanos = maxDelay.toNanos();
    this.compile = compile;
  }

  /** Asks for a compile. Thread-safe and cheap: called from informer threads on every event. */
  public void request() {
    synchronized (lock) {
      long now = System.nanoTime();
      boolean apart = !requested || now - lastRequestNanos >= holdOffNanos / 2;
      lastRequestNanos = now;
      requested = true;
      if (burstStartNanos < 0 && (!ranOnce || now - lastRunNanos >= holdOffNanos || apart)) {
        // Quiet: compile at once. Not cancellable by later requests, which schedule their own
        // compile after the hold-off as usual (this one may have read the caches before them).
        lastRunNanos = now;
        ranOnce = true;
        executor.execute(this::compileLogged);
        return;
      }
      if (burstStartNanos < 0) {
        burstStartNanos = now;
      }
      long runAt = Math.min(now + holdOffNanos, burstStartNanos + maxDelayNanos);
      long mine = ++token;
      // Earlier scheduled runs see a newer token and return without compiling.
      executor.schedule(() -> run(mine), Math.max(0, runAt - now), TimeUnit.NANOSECONDS);
    }
  }

  private void run(long mine) {
    synchronized (lock) {
      if (mine != token) {
        return;
      }
      burstStartNanos = -1;
      lastRunNanos = System.nanoTime();
      ranOnce = true;
    }
    compileLogged();
  }

  private void compileLogged() {
    try {
      compile.run();
    } catch (RuntimeException e) {
      // The next change retries; the last good result stays published meanwhile.
      LOG.error("compile failed; keeping the previous result", e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
