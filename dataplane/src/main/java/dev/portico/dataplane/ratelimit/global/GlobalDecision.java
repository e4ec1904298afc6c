package dev.portico.dataplane.ratelimit.global;

import java.util.List;

/**
 * The answer of the shared counters for one request's steps, all taken or none.
 *
 * @param allowed whether the request may pass
 * @param index the step reported: the refusing one, or when allowed, the one with the fewest left
 * @param remaining requests still allowed at once from that step's counter after this one
 * @param retryAfterMillis when refused, how long until one more request would pass
 * @param resetMillis how long until that counter is full again
 * @param degraded true when Redis could not be asked and the failure policies decided
 */
public record GlobalDecision(
    boolean allowed,
    int index,
    long remaining,
    long retryAfterMillis,
    long resetMillis,
    boolean degraded) {

  /** Without Redis: refused by the first step that fails closed, else admitted. */
  public static GlobalDecision failurePolicy(List<GlobalStep> steps) {
    for (int i = 0; i < steps.size(); i++) {
      if (!steps.get(i).failOpen()) {
        return new GlobalDecision(false, i, 0, 1000, 0, true);
      }
    }
    return new GlobalDecision(true, 0, 0, 0, 0, true);
  }
}
