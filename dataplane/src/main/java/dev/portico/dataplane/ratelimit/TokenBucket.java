package dev.portico.dataplane.ratelimit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One counter of one limit for one key: a token bucket stored as a single {@code long}, the time at
 * which it will be full again (GCRA's theoretical arrival time). Taking a token is one
 * compare-and-set on that long: thread-safe and allocation-free.
 *
 * <p>All times are {@link System#nanoTime()}-style readings compared only by difference, so any
 * origin works. A clock that goes backwards cannot lock a key out: a bucket further from full than
 * any real bucket can be is treated as just empty.
 */
public final class TokenBucket {
  private static final VarHandle FULL_AT;

  static {
    try {
      FULL_AT = MethodHandles.lookup().findVarHandle(TokenBucket.class, "fullAt", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") // accessed through FULL_AT
  private volatile long fullAt;

  /** A full bucket at {@code nowNanos}. */
  public TokenBucket(long nowNanos) {
    this.fullAt = nowNanos;
  }

  /**
   * Takes one token if there is one.
   *
   * @return when admitted, the bucket's debt afterwards (nanoseconds until it is full again, at
   *     least one interval); when refused, minus the nanoseconds until a token is available
   */
  public long tryAcquire(BucketRate rate, long nowNanos) {
    while (true) {
      long current = fullAt;
      long debt = current - nowNanos;
      if (debt > rate.maxDebtNanos()) {
        // Further behind than possible: the clock went backwards. Count the bucket as just
        // emptied, and remember that, so the key waits one interval, not the jump.
        FULL_AT.compareAndSet(this, current, nowNanos + rate.maxDebtNanos());
        continue;
      }
      debt = Math.max(0, debt); // below 0: refilled, and a bucket holds no more than full
      if (debt > rate.toleranceNanos()) {
        return -(debt - rate.toleranceNanos());
      }
      long after = debt + rate.intervalNanos();
      if (FULL_AT.compareAndSet(this, current, nowNanos + after)) {
        return after;
      }
    }
  }

  /** Gives back a token taken by {@link #tryAcquire}: another limit of the request refused it. */
  public void refund(BucketRate rate) {
    FULL_AT.getAndAdd(this, -rate.intervalNanos());
  }

  /** Nanoseconds until the bucket is full, without taking anything. */
  public long debt(BucketRate rate, long nowNanos) {
    return debt(rate, fullAt, nowNanos);
  }

  private static long debt(BucketRate rate, long fullAt, long nowNanos) {
    return Math.min(Math.max(0, fullAt - nowNanos), rate.maxDebtNanos());
  }
}
