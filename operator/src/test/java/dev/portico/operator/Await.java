package dev.portico.operator;

import java.time.Duration;
import java.util.function.Supplier;
import org.opentest4j.AssertionFailedError;

/** Polls until a condition holds; the failure names what was awaited and the last value seen. */
public final class Await {
  private Await() {}

  public static <T> T until(
      String what, Duration timeout, Supplier<T> probe, java.util.function.Predicate<T> done) {
    long end = System.nanoTime() + timeout.toNanos();
    T last = null;
    while (System.nanoTime() < end) {
      try {
        last = probe.get();
        if (last != null && done.test(last)) {
          return last;
        }
      } catch (RuntimeException e) {
        // not there yet
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionFailedError("interrupted awaiting " + what);
      }
    }
    throw new AssertionFailedError(
        "timed out after " + timeout + " awaiting " + what + "; last: " + last);
  }
}
