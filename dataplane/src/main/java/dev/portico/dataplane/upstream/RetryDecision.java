package dev.portico.dataplane.upstream;

/** The answer of {@link RetryDecider} after a failed attempt; the reasons feed logs and metrics. */
public enum RetryDecision {
  /** Retry; a retry-budget slot is taken and must be returned when the retry attempt ends. */
  RETRY,
  /** The failure is not in the rule's {@code retryOn}. */
  FAILURE_NOT_RETRIED,
  /** The method is not idempotent and the rule did not opt in to retrying it. */
  METHOD_NOT_IDEMPOTENT,
  /** The rule's attempts are used up. */
  ATTEMPTS_EXHAUSTED,
  /** Too many retries are in flight for the rule's traffic. */
  BUDGET_EXHAUSTED;

  public boolean retry() {
    return this == RETRY;
  }
}
