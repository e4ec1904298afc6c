package dev.portico.dataplane.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
  static final long SECOND = 1_000_000_000L;

  @Test
  void fullBucketAdmitsBurstThenRefuses() {
    BucketRate rate = BucketRate.of(10, 1, 10);
    TokenBucket b = new TokenBucket(0);
    for (int i = 0; i < 10; i++) {
      long debt = b.tryAcquire(rate, 0);
      assertThat(debt).isPositive();
      assertThat(rate.remaining(debt)).isEqualTo(9 - i);
    }
    long refused = b.tryAcquire(rate, 0);
    assertThat(refused).isEqualTo(-SECOND / 10); // the next token comes in 100 ms
  }

  @Test
  void refillsOneTokenPerIntervalExactlyAtTheBoundary() {
    BucketRate rate = BucketRate.of(10, 1, 10);
    TokenBucket b = new TokenBucket(0);
    for (int i = 0; i < 10; i++) {
      b.tryAcquire(rate, 0);
    }
    long interval = SECOND / 10;
    assertThat(b.tryAcquire(rate, interval - 1)).isEqualTo(-1);
    assertThat(b.tryAcquire(rate, interval)).isPositive();
    assertThat(b.tryAcquire(rate, interval)).isNegative();
    // A long pause refills to capacity, never beyond it.
    long later = 100 * SECOND;
    int admitted = 0;
    while (b.tryAcquire(rate, later) > 0) {
      admitted++;
    }
    assertThat(admitted).isEqualTo(10);
  }

  @Test
  void burstDiffersFromSteadyRate() {
    BucketRate rate = BucketRate.of(60, 60, 3); // one per second, three at once
    TokenBucket b = new TokenBucket(0);
    assertThat(b.tryAcquire(rate, 0)).isPositive();
    assertThat(b.tryAcquire(rate, 0)).isPositive();
    assertThat(b.tryAcquire(rate, 0)).isPositive();
    assertThat(b.tryAcquire(rate, 0)).isEqualTo(-SECOND);
    assertThat(b.tryAcquire(rate, SECOND)).isPositive();
    assertThat(b.debt(rate, SECOND)).isEqualTo(3 * SECOND);
  }

  @Test
  void burstZeroIsStrictPacing() {
    BucketRate rate = BucketRate.of(2, 1, 0);
    assertThat(rate.capacity()).isEqualTo(1);
    TokenBucket b = new TokenBucket(0);
    assertThat(b.tryAcquire(rate, 0)).isPositive();
    assertThat(b.tryAcquire(rate, SECOND / 2 - 1)).isNegative();
    assertThat(b.tryAcquire(rate, SECOND / 2)).isPositive();
  }

  @Test
  void clockGoingBackwardsNeverLocksAKeyOut() {
    BucketRate rate = BucketRate.of(1, 1, 1);
    long now = 1_000 * SECOND;
    TokenBucket b = new TokenBucket(now);
    assertThat(b.tryAcquire(rate, now)).isPositive();
    long hourEarlier = now - 3_600 * SECOND;
    // Counted as just emptied: one interval to wait, not an hour.
    assertThat(b.tryAcquire(rate, hourEarlier)).isEqualTo(-SECOND);
    assertThat(b.tryAcquire(rate, hourEarlier + SECOND)).isPositive();
  }

  @Test
  void worksAcrossTheNanoTimeWrap() {
    BucketRate rate = BucketRate.of(1, 1, 1);
    long now = Long.MAX_VALUE - SECOND / 2;
    TokenBucket b = new TokenBucket(now);
    assertThat(b.tryAcquire(rate, now)).isPositive();
    assertThat(b.tryAcquire(rate, now + SECOND / 2)).isNegative(); // wrapped, 500 ms later
    assertThat(b.tryAcquire(rate, now + SECOND)).isPositive();
  }

  @Test
  void hugeWindowsAndBurstsDoNotOverflow() {
    BucketRate day = BucketRate.of(1, 86_400, 1_000_000_000);
    assertThat(day.intervalNanos()).isEqualTo(86_400 * SECOND);
    assertThat(day.toleranceNanos()).isEqualTo(BucketRate.MAX_TOLERANCE_NANOS);
    TokenBucket b = new TokenBucket(Long.MIN_VALUE + 5);
    for (int i = 0; i < 1000; i++) {
      assertThat(b.tryAcquire(day, Long.MIN_VALUE + 5)).isPositive();
    }
    BucketRate fast = BucketRate.of(1_000_000_000, 1, 1_000_000_000);
    assertThat(fast.intervalNanos()).isEqualTo(1);
    TokenBucket f = new TokenBucket(0);
    assertThat(fast.remaining(f.tryAcquire(fast, 0))).isEqualTo(999_999_999);
  }

  @Test
  void refundGivesTheTokenBack() {
    BucketRate rate = BucketRate.of(2, 1, 2);
    TokenBucket b = new TokenBucket(0);
    b.tryAcquire(rate, 0);
    b.tryAcquire(rate, 0);
    assertThat(b.tryAcquire(rate, 0)).isNegative();
    b.refund(rate);
    assertThat(b.tryAcquire(rate, 0)).isPositive();
  }

  @Test
  void concurrentTakersNeverExceedCapacity() throws Exception {
    BucketRate rate = BucketRate.of(1, 3_600, 10_000);
    TokenBucket b = new TokenBucket(0);
    java.util.concurrent.atomic.AtomicInteger admitted =
        new java.util.concurrent.atomic.AtomicInteger();
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] =
          new Thread(
              () -> {
                for (int i = 0; i < 5_000; i++) {
                  if (b.tryAcquire(rate, 0) > 0) {
                    admitted.incrementAndGet();
                  }
                }
              });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(admitted.get()).isEqualTo(10_000);
  }

  @Test
  void invalidRatesAreRefused() {
    assertThatThrownBy(() -> BucketRate.of(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BucketRate.of(1, 1, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void retryAfterRoundsUpToWholeSeconds() {
    BucketRate rate = BucketRate.of(1, 60, 1);
    CounterSpace space = new CounterSpace("ns/p/l", null, rate);
    assertThat(new RateLimitDecision(false, space, 0, 0, 1).retryAfterSeconds()).isEqualTo(1);
    assertThat(new RateLimitDecision(false, space, 0, 0, SECOND).retryAfterSeconds()).isEqualTo(1);
    assertThat(new RateLimitDecision(false, space, 0, 0, SECOND + 1).retryAfterSeconds())
        .isEqualTo(2);
  }
}
