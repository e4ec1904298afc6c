package dev.portico.dataplane.ratelimit;

/**
 * What the limits of a rule decided for one request, and what the response fields report: the
 * refusing limit, or when all admitted it, the one with the fewest tokens left.
 *
 * @param limit the limit reported in the response fields
 * @param remaining tokens left in that limit's bucket
 * @param resetNanos until that bucket is full again
 * @param retryAfterNanos when refused, until a token is available; 0 when allowed
 */
public record RateLimitDecision(
    boolean allowed, CounterSpace limit, long remaining, long resetNanos, long retryAfterNanos) {

  /** Retry-After: whole seconds, rounded up, at least 1. */
  public long retryAfterSeconds() {
    return Math.max(1, RateLimitFields.ceilSeconds(retryAfterNanos));
  }
}
