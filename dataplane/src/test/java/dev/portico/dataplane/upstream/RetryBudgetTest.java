package dev.portico.dataplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
  @Test
  void limitIsPercentOfActiveWithAFloor() {
    RetryBudget budget = new RetryBudget(3);
    assertThat(budget.limit(20)).isEqualTo(3);
    for (int i = 0; i < 49; i++) {
      budget.requestStarted();
    }
    assertThat(budget.limit(20)).isEqualTo(9);
    budget.requestStarted();
    assertThat(budget.limit(20)).isEqualTo(10);
    assertThat(budget.limit(0)).isEqualTo(3);
    assertThat(budget.limit(100)).isEqualTo(50);
    budget.requestFinished();
    assertThat(budget.activeRequests()).isEqualTo(49);
  }

  @Test
  void concurrentRetriesNeverExceedTheLimit() throws InterruptedException {
    RetryBudget budget = new RetryBudget(4);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxSeen = new AtomicInteger();
    AtomicInteger granted = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                for (int i = 0; i < 20_000; i++) {
                  if (budget.tryStartRetry(0)) {
                    granted.incrementAndGet();
                    maxSeen.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    inFlight.decrementAndGet();
                    budget.retryFinished();
                  }
                }
              });
      thread.start();
      threads.add(thread);
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(granted.get()).isPositive();
    assertThat(maxSeen.get()).isBetween(1, 4);
    assertThat(budget.activeRetries()).isZero();
  }
}
