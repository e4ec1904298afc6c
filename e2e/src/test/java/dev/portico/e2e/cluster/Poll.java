package dev.portico.e2e.cluster;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a condition on something that becomes ready asynchronously; the suite never sleeps. */
public final class Poll {
  private static final long INTERVAL_MILLIS = 100;

  private Poll() {}

  /** A readiness probe; an exception counts as "not yet" and its message is kept for the error. */
  @FunctionalInterface
  public interface Probe {
    boolean ready() throws Exception;
  }

  /**
   * Polls {@code probe} every 100 ms until it returns true. {@code guard} runs before each attempt
   * and may throw to stop waiting at once (a process that died); {@code diagnostics} is appended to
   * the timeout message.
   */
  public static void until(
      String what, Duration timeout, Probe probe, Runnable guard, Supplier<String> diagnostics) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastProblem = "never ready";
    while (true) {
      guard.run();
      try {
        if (probe.ready()) {
          return;
        }
      } catch (Exception e) {
        lastProblem = e.toString();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "timed out after "
                + timeout.toSeconds()
                + "s waiting for "
                + what
                + " (last: "
                + lastProblem
                + ")\n"
                + diagnostics.get());
      }
      try {
        Thread.sleep(INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
  }

  /** {@link #until} without a guard or diagnostics. */
  public static void until(String what, Duration timeout, Probe probe) {
    until(what, timeout, probe, () -> {}, () -> "");
  }
}
