package dev.portico.dataplane.ratelimit.global;

/**
 * The answer of a shared counter for one request.
 *
 * @param allowed whether the request may pass
 * @param remaining requests still allowed at once after this one
 * @param retryAfterMillis when refused, how long until one more request would pass
 * @param resetMillis how long until the counter is full again
 * @param degraded true when Redis could not be asked and the failure policy decided
 */
public record GlobalDecision(
    boolean allowed, long remaining, long retryAfterMillis, long resetMillis, boolean degraded) {

  static GlobalDecision failurePolicy(boolean failOpen) {
    return new GlobalDecision(failOpen, 0, failOpen ? 0 : 1000, 0, true);
  }
}
