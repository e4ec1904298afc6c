package dev.portico.operator.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CompileSchedulerTest {
  @Test
  void aBurstOfAThousandRequestsCostsTheLeadingCompileAndOneMore() throws Exception {
    AtomicInteger compiles = new AtomicInteger();
    try (var scheduler =
        new CompileScheduler(
            Duration.ofMillis(200), Duration.ofSeconds(5), compiles::incrementAndGet)) {
      for (int i = 0; i < 1000; i++) {
        scheduler.request();
      }
      Thread.sleep(600);
      // The first request found the scheduler quiet and compiled at once; the other 999 share one.
      assertThat(compiles.get()).isEqualTo(2);
    }
  }

  @Test
  void anIsolatedRequestDoesNotWaitForTheHoldOff() throws Exception {
    AtomicInteger compiles = new AtomicInteger();
    try (var scheduler =
        new CompileScheduler(
            Duration.ofSeconds(20), Duration.ofSeconds(60), compiles::incrementAndGet)) {
      scheduler.request();
      Thread.sleep(1000);
      assertThat(compiles.get()).isEqualTo(1);
      // Right after a compile the scheduler is not quiet: the next request waits the hold-off.
      scheduler.request();
      Thread.sleep(1000);
      assertThat(compiles.get()).isEqualTo(1);
    }
  }

  @Test
  void editsAppliedOneAfterAnotherDoNotWaitForTheHoldOff() throws Exception {
    AtomicInteger compiles = new AtomicInteger();
    try (var scheduler =
        new CompileScheduler(
            Duration.ofMillis(1000), Duration.ofSeconds(5), compiles::incrementAndGet)) {
      scheduler.request();
      Thread.sleep(100);
      assertThat(compiles.get()).isEqualTo(1);
      // 600 ms later, well within the hold-off of that compile, but more than half a hold-off
      // after the previous request: not a burst, so it compiles at once.
      Thread.sleep(500);
      scheduler.request();
      Thread.sleep(100);
      assertThat(compiles.get()).isEqualTo(2);
      // Two requests close together are a burst: the second waits the hold-off.
      Thread.sleep(500);
      scheduler.request();
      scheduler.request();
      Thread.sleep(300);
      assertThat(compiles.get()).isEqualTo(3);
      Thread.sleep(1200);
      assertThat(compiles.get()).isEqualTo(4);
    }
  }

  @Test
  void aSteadyTrickleCannotPostponeTheCompilePastTheMaximumDelay() throws Exception {
    AtomicInteger compiles = new AtomicInteger();
    try (var scheduler =
        new CompileScheduler(
            Duration.ofMillis(100), Duration.ofMillis(300), compiles::incrementAndGet)) {
      // A request every 20 ms for 1.5 s: the hold-off alone would never expire.
      long end = System.nanoTime() + Duration.ofMillis(1500).toNanos();
      while (System.nanoTime() < end) {
        scheduler.request();
        Thread.sleep(20);
      }
      assertThat(compiles.get()).isBetween(3, 7);
    }
  }

  @Test
  void aFailingCompileDoesNotStopLaterOnes() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    try (var scheduler =
        new CompileScheduler(
            Duration.ZERO,
            Duration.ofMillis(10),
            () -> {
              attempts.incrementAndGet();
              throw new IllegalStateException("boom");
            })) {
      scheduler.request();
      Thread.sleep(100);
      scheduler.request();
      Thread.sleep(100);
      assertThat(attempts.get()).isEqualTo(2);
    }
  }
}
