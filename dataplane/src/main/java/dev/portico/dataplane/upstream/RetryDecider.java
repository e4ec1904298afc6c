package dev.portico.dataplane.upstream;

import dev.portico.snapshot.RetryConfig;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Decides, after a failed attempt, whether the proxy tries again: one per rule, built when a
 * snapshot is loaded from its {@link RetryConfig}.
 *
 * <p>A retry needs all four: the failure is one of the rule's {@code retryOn} conditions; the
 * method is idempotent (RFC 9110: GET, HEAD, OPTIONS, PUT, DELETE, TRACE) or the rule set {@code
 * nonIdempotent}; the rule's attempts are not used up; and the {@link RetryBudget} has room. The
 * budget is asked last because asking takes a slot. A {@code budgetPercent} of 0 still allows the
 * budget's floor of concurrent retries.
 */
public final class RetryDecider {
  /** For rules without a retry policy. */
  public static final RetryDecider NEVER = new RetryDecider(0, 0, false, 0, 0, Backoff.NONE);

  private final int maxRetries;
  private final int retryOnMask;
  private final boolean nonIdempotent;
  private final int budgetPercent;
  private final long perTryTimeoutMillis;
  private final Backoff backoff;

  private RetryDecider(
      int maxRetries,
      int retryOnMask,
      boolean nonIdempotent,
      int budgetPercent,
      long perTryTimeoutMillis,
      Backoff backoff) {
    this.maxRetries = maxRetries;
    this.retryOnMask = retryOnMask;
    this.nonIdempotent = nonIdempotent;
    this.budgetPercent = budgetPercent;
    this.perTryTimeoutMillis = perTryTimeoutMillis;
    this.backoff = backoff;
  }

  /**
   * @param config the rule's retry policy, or null for none
   */
  public static RetryDecider of(RetryConfig config) {
    return of(config, ThreadLocalRandom::current);
  }

  /**
   * @param random for the backoff jitter; tests pass a seeded generator
   */
  public static RetryDecider of(RetryConfig config, Supplier<RandomGenerator> random) {
    if (config == null) {
      return NEVER;
    }
    int mask = 0;
    for (String name : config.retryOn()) {
      // A condition a newer compiler knows and this data plane does not is never retried on,
      // rather than refused: the rest of the policy still applies.
      AttemptFailure failure = AttemptFailure.named(name);
      if (failure != null) {
        mask |= bit(failure);
      }
    }
    Long perTry = config.perTryTimeoutMillis();
    return new RetryDecider(
        Math.max(0, config.attempts()),
        mask,
        config.nonIdempotent(),
        config.budgetPercent(),
        perTry == null ? 0 : perTry,
        new Backoff(config.backoffBaseMillis(), config.backoffMaxMillis(), random));
  }

  /**
   * Whether the attempt that just failed is retried.
   *
   * @param method the request method, case-sensitive as HTTP methods are
   * @param retriesDone retries already made for this request: 0 after the first attempt fails
   * @return {@link RetryDecision#RETRY} having taken a budget slot, else why not
   */
  public RetryDecision decide(
      String method, AttemptFailure failure, int retriesDone, RetryBudget budget) {
    if ((retryOnMask & bit(failure)) == 0) {
      return RetryDecision.FAILURE_NOT_RETRIED;
    }
    if (!nonIdempotent && !isIdempotent(method)) {
      return RetryDecision.METHOD_NOT_IDEMPOTENT;
    }
    if (retriesDone >= maxRetries) {
      return RetryDecision.ATTEMPTS_EXHAUSTED;
    }
    if (!budget.tryStartRetry(budgetPercent)) {
      return RetryDecision.BUDGET_EXHAUSTED;
    }
    return RetryDecision.RETRY;
  }

  static boolean isIdempotent(String method) {
    switch (method) {
      case "GET":
      case "HEAD":
      case "OPTIONS":
      case "PUT":
      case "DELETE":
      case "TRACE":
        return true;
      default:
        return false;
    }
  }

  private static int bit(AttemptFailure failure) {
    return 1 << failure.ordinal();
  }

  /** Retries allowed after the first attempt. */
  public int maxRetries() {
    return maxRetries;
  }

  /** The timeout of each attempt, or 0 when only the request timeout applies. */
  public long perTryTimeoutMillis() {
    return perTryTimeoutMillis;
  }

  /** The wait before each retry. */
  public Backoff backoff() {
    return backoff;
  }
}
