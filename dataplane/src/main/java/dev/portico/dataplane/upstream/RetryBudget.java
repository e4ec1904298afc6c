package dev.portico.dataplane.upstream;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps concurrent retries of one rule at a percentage of its active requests, so that retries never
 * multiply the load on a backend that is already failing; {@link RetryDecider} consults it last.
 *
 * <p>A floor of {@code minConcurrentRetries} lets low-traffic rules retry at all: 20% of two active
 * requests would otherwise be zero (Envoy's retry budget has the same floor, default 3). The budget
 * lives as long as the rule's stable id, across snapshot swaps, like rate-limit counters.
 *
 * <p>Protocol: {@link #requestStarted()} and {@link #requestFinished()} around every client request
 * of the rule; after {@link RetryDecider#decide} returns {@link RetryDecision#RETRY}, {@link
 * #retryFinished()} once that retry attempt ends.
 */
public final class RetryBudget {
  public static final int DEFAULT_MIN_CONCURRENT_RETRIES = 3;

  private final int minConcurrentRetries;
  private final AtomicInteger activeRequests = new AtomicInteger();
  private final AtomicInteger activeRetries = new AtomicInteger();

  public RetryBudget(int minConcurrentRetries) {
    if (minConcurrentRetries < 0) {
      throw new IllegalArgumentException("minConcurrentRetries must not be negative");
    }
    this.minConcurrentRetries = minConcurrentRetries;
  }

  public RetryBudget() {
    this(DEFAULT_MIN_CONCURRENT_RETRIES);
  }

  public void requestStarted() {
    activeRequests.incrementAndGet();
  }

  public void requestFinished() {
    activeRequests.decrementAndGet();
  }

  public int activeRequests() {
    return activeRequests.get();
  }

  public int activeRetries() {
    return activeRetries.get();
  }

  /** How many retries may be in flight now. */
  public int limit(int budgetPercent) {
    return Math.max(
        minConcurrentRetries, (int) (activeRequests.get() * (long) budgetPercent / 100));
  }

  /** Takes one retry slot if the budget has one; lock-free, so safe on every event loop. */
  boolean tryStartRetry(int budgetPercent) {
    while (true) {
      int retries = activeRetries.get();
      if (retries >= limit(budgetPercent)) {
        return false;
      }
      if (activeRetries.compareAndSet(retries, retries + 1)) {
        return true;
      }
    }
  }

  public void retryFinished() {
    activeRetries.decrementAndGet();
  }
}
