package dev.portico.dataplane.ratelimit;

import dev.portico.snapshot.RateLimitConfig;

/**
 * The rate of one limit in integer nanoseconds, in the form a {@link TokenBucket} uses: one token
 * every {@code intervalNanos} (window / requests), and a bucket of {@code capacity} tokens, which
 * is a bucket that may run up to {@code toleranceNanos} = (capacity - 1) x interval ahead of a
 * steady schedule (the GCRA form of a token bucket).
 *
 * <p>The interval is rounded down to a whole nanosecond (never below 1): the rate is at most 1 /
 * interval too generous, under 0.1% for anything below a million requests per second per key. The
 * tolerance is capped at {@link #MAX_TOLERANCE_NANOS} (about 36 years) so that no sum overflows;
 * only absurd limits (a burst of more than 13,000 at one request per day) are cut by the cap.
 *
 * @param requests the configured requests per window, reported in the response fields
 * @param windowSeconds the configured window
 * @param capacity tokens a full bucket holds: the burst, at least 1 (burst 0 = strictly paced)
 */
public record BucketRate(
    long requests, long windowSeconds, long capacity, long intervalNanos, long toleranceNanos) {
  /** Cap on the tolerance: far below {@code Long.MAX_VALUE}, so clock arithmetic never wraps. */
  public static final long MAX_TOLERANCE_NANOS = Long.MAX_VALUE >> 3;

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  /**
   * @throws IllegalArgumentException when requests or window are not positive or burst is negative
   */
  public static BucketRate of(long requests, long windowSeconds, long burst) {
    if (requests < 1 || windowSeconds < 1 || burst < 0) {
      throw new IllegalArgumentException(
          "invalid rate: " + requests + " per " + windowSeconds + "s, burst " + burst);
    }
    long windowNanos = Math.multiplyExact(windowSeconds, NANOS_PER_SECOND);
    long interval = Math.max(1, windowNanos / requests);
    long capacity = Math.max(1, burst);
    long extra = capacity - 1;
    long tolerance =
        extra > MAX_TOLERANCE_NANOS / interval ? MAX_TOLERANCE_NANOS : extra * interval;
    return new BucketRate(requests, windowSeconds, capacity, interval, tolerance);
  }

  public static BucketRate of(RateLimitConfig limit) {
    return of(limit.requests(), limit.windowSeconds(), limit.burst());
  }

  /** The largest debt a bucket can carry: right after the last token of a full bucket is taken. */
  long maxDebtNanos() {
    return toleranceNanos + intervalNanos;
  }

  /** Tokens left when the bucket is {@code debtNanos} behind full. */
  public long remaining(long debtNanos) {
    return Math.max(0, (maxDebtNanos() - debtNanos) / intervalNanos);
  }
}
