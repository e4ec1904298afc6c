package dev.portico.dataplane.ratelimit;

/**
 * What the limits of a rule decided for one request, and what the response fields report: the
 * refusing limit, or when all admitted it, the one with the fewest requests left.
 *
 * @param limit the limit reported in the response fields; null when no limit applied
 * @param remaining requests left in that limit's counter
 * @param resetNanos until that counter is full again
 * @param retryAfterNanos when refused, until a request would pass; 0 when allowed
 * @param storeUnavailable refused by a Global limit's failure policy (Closed) because Redis could
 *     not be asked, not because the limit is exhausted
 */
public record RateLimitDecision(
    boolean allowed,
    ReportedLimit limit,
    long remaining,
    long resetNanos,
    long retryAfterNanos,
    boolean storeUnavailable) {

  /** A decision of the counters themselves. */
  public RateLimitDecision(
      boolean allowed, ReportedLimit limit, long remaining, long resetNanos, long retryAfterNanos) {
    this(allowed, limit, remaining, resetNanos, retryAfterNanos, false);
  }

  /** Retry-After: whole seconds, rounded up, at least 1. */
  public long retryAfterSeconds() {
    return Math.max(1, RateLimitFields.ceilSeconds(retryAfterNanos));
  }
}
