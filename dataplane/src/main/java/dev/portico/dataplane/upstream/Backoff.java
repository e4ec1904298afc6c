package dev.portico.dataplane.upstream;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The wait before a retry, between a failed attempt and the next pick: exponential with full
 * jitter.
 *
 * <p>Retry n waits a uniformly random time in {@code [0, min(max, base * 2^(n-1))]}. The interval
 * doubles from {@code base} and stops growing at {@code max}; the wait is drawn from the whole
 * interval ("full jitter", as in the AWS Architecture Blog's "Exponential Backoff and Jitter" and
 * Envoy's retry back-off) because clients that failed together, for example when one endpoint went
 * down, would otherwise retry together and hit the next endpoint as a burst.
 */
public final class Backoff {
  public static final Backoff NONE = new Backoff(0, 0);

  private final long baseMillis;
  private final long maxMillis;
  private final Supplier<RandomGenerator> random;

  public Backoff(long baseMillis, long maxMillis) {
    this(baseMillis, maxMillis, ThreadLocalRandom::current);
  }

  /**
   * @param random asked once per delay, on the calling thread; tests pass a seeded generator
   */
  public Backoff(long baseMillis, long maxMillis, Supplier<RandomGenerator> random) {
    if (baseMillis < 0 || maxMillis < 0) {
      throw new IllegalArgumentException("backoff must not be negative");
    }
    this.baseMillis = baseMillis;
    // A max below base caps every interval at max, which is what "upper bound" says.
    this.maxMillis = maxMillis;
    this.random = random;
  }

  /**
   * The wait before retry {@code retry}.
   *
   * @param retry 1 for the first retry
   */
  public long delayMillis(int retry) {
    long interval = intervalMillis(retry);
    return interval == 0 ? 0 : random.get().nextLong(interval + 1);
  }

  /** The upper end of retry {@code retry}'s wait. */
  public long intervalMillis(int retry) {
    if (retry < 1) {
      throw new IllegalArgumentException("retries count from 1");
    }
    int doublings = retry - 1;
    if (baseMillis == 0) {
      return 0;
    }
    if (doublings >= 62 || baseMillis > maxMillis >> doublings) {
      return maxMillis;
    }
    return baseMillis << doublings;
  }
}
