package dev.portico.dataplane.upstream;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Passive outlier detection, fed by the proxy after every attempt: an endpoint that fails {@code
 * consecutiveFailures} attempts in a row is ejected, and balancers skip it until the ejection ends.
 *
 * <p>An ejection lasts {@code base * 2^(ejections - 1)}, capped at {@code max}: an endpoint that
 * keeps failing as soon as it returns stays out longer each time. The count decays by one per
 * {@code base} spent back in service, so an endpoint that recovered for good starts again from
 * {@code base} (Envoy decays its multiplier the same way, on a timer).
 *
 * <p>No timers: an ejection is a deadline that {@link Endpoint#isEjected(long)} compares with the
 * clock on read, and the decay is computed at the next ejection. At most {@code maxEjectionPercent}
 * of a set is ejected at once (rounded down), so a backend-wide failure does not eject everything
 * and leave the remaining endpoints no one to share the load with.
 *
 * <p>One detector holds the policy and the clock and is shared by many {@link EndpointSet}s; the
 * state lives on each {@link Endpoint}.
 */
public final class OutlierDetector {
  public static final int DEFAULT_CONSECUTIVE_FAILURES = 5;
  public static final Duration DEFAULT_BASE_EJECTION = Duration.ofSeconds(30);
  public static final Duration DEFAULT_MAX_EJECTION = Duration.ofMinutes(5);
  public static final int DEFAULT_MAX_EJECTION_PERCENT = 50;

  private final int consecutiveFailures;
  private final long baseNanos;
  private final long maxNanos;
  private final int maxEjectionPercent;
  private final LongSupplier nanoTime;

  /**
   * @param nanoTime a monotonic clock in nanoseconds, like {@link System#nanoTime()}; tests pass a
   *     fake one
   */
  public OutlierDetector(
      int consecutiveFailures,
      Duration baseEjection,
      Duration maxEjection,
      int maxEjectionPercent,
      LongSupplier nanoTime) {
    if (consecutiveFailures < 1) {
      throw new IllegalArgumentException("consecutiveFailures must be at least 1");
    }
    if (baseEjection.isNegative()
        || baseEjection.isZero()
        || maxEjection.compareTo(baseEjection) < 0) {
      throw new IllegalArgumentException("need 0 < baseEjection <= maxEjection");
    }
    if (maxEjectionPercent < 0 || maxEjectionPercent > 100) {
      throw new IllegalArgumentException("maxEjectionPercent must be within 0..100");
    }
    this.consecutiveFailures = consecutiveFailures;
    this.baseNanos = baseEjection.toNanos();
    this.maxNanos = maxEjection.toNanos();
    this.maxEjectionPercent = maxEjectionPercent;
    this.nanoTime = Objects.requireNonNull(nanoTime);
  }

  public static OutlierDetector defaults() {
    return withClock(System::nanoTime);
  }

  /** The default policy on another clock. */
  public static OutlierDetector withClock(LongSupplier nanoTime) {
    return new OutlierDetector(
        DEFAULT_CONSECUTIVE_FAILURES,
        DEFAULT_BASE_EJECTION,
        DEFAULT_MAX_EJECTION,
        DEFAULT_MAX_EJECTION_PERCENT,
        nanoTime);
  }

  long nanoTime() {
    return nanoTime.getAsLong();
  }

  /** How long the {@code ejections}-th ejection in a row lasts. */
  public Duration ejectionDuration(int ejections) {
    return Duration.ofNanos(ejectionNanos(ejections));
  }

  void recordSuccess(Endpoint endpoint) {
    // Read before write: the common case (no failures) then leaves the cache line shared.
    if (endpoint.failureCounter().get() != 0) {
      endpoint.failureCounter().set(0);
    }
  }

  boolean recordFailure(EndpointSet set, Endpoint endpoint, AttemptFailure failure) {
    Objects.requireNonNull(failure, "failure");
    long now = nanoTime.getAsLong();
    if (endpoint.isEjected(now)) {
      // A late outcome of an attempt that started before the ejection, or panic-mode traffic:
      // counting it would re-eject the endpoint the moment it returns.
      return false;
    }
    if (endpoint.failureCounter().incrementAndGet() < consecutiveFailures) {
      return false;
    }
    return tryEject(set, endpoint, now);
  }

  private boolean tryEject(EndpointSet set, Endpoint endpoint, long now) {
    AtomicBoolean guard = set.ejectionGuard();
    if (!guard.compareAndSet(false, true)) {
      // Another loop is ejecting in this set right now. Not waiting keeps the loop unblocked; the
      // failure count stays at the threshold, so this endpoint's next failure tries again.
      return false;
    }
    try {
      EndpointSet.View view = set.view();
      if (view.byAddress.get(endpoint.address()) != endpoint || endpoint.isEjected(now)) {
        return false;
      }
      int ejected = 0;
      for (Endpoint e : view.endpoints) {
        if (e.isEjected(now)) {
          ejected++;
        }
      }
      if ((ejected + 1) * 100L > (long) view.endpoints.length * maxEjectionPercent) {
        return false;
      }
      int ejections = decayedEjections(endpoint, now) + 1;
      endpoint.eject(now + ejectionNanos(ejections), ejections);
      // Start over when it returns: one failure then should not eject it again.
      endpoint.failureCounter().set(0);
      return true;
    } finally {
      guard.set(false);
    }
  }

  private int decayedEjections(Endpoint endpoint, long now) {
    if (!endpoint.wasEverEjected()) {
      return 0;
    }
    long inService = now - endpoint.ejectedUntilNanos();
    long decay = inService <= 0 ? 0 : inService / baseNanos;
    return (int) Math.max(0, endpoint.ejections() - decay);
  }

  private long ejectionNanos(int ejections) {
    int doublings = Math.max(0, ejections - 1);
    if (doublings >= 62 || baseNanos > maxNanos >> doublings) {
      return maxNanos;
    }
    return baseNanos << doublings;
  }
}
