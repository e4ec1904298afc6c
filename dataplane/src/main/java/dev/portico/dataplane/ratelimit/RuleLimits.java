package dev.portico.dataplane.ratelimit;

import dev.portico.dataplane.metrics.ProxyMetrics;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Set;

/**
 * The Local limits that apply to one rule, its own and its DataPlane's, ready to decide: all must
 * admit a request. Built once per snapshot; deciding takes one token from each bucket, and when one
 * limit refuses, gives back what the others gave, so a refused request costs no other limit a
 * token.
 */
public final class RuleLimits {
  private final BucketStore store;
  private final ProxyMetrics metrics;
  private final CounterSpace[] spaces;
  private final LimitKey[] keys;
  private final boolean needsClientAddress;

  RuleLimits(
      BucketStore store, ProxyMetrics metrics, List<CounterSpace> spaces, List<LimitKey> keys) {
    this.store = store;
    this.metrics = metrics;
    this.spaces = spaces.toArray(CounterSpace[]::new);
    this.keys = keys.toArray(LimitKey[]::new);
    this.needsClientAddress = keys.stream().anyMatch(k -> k.type() == LimitKey.Type.ClientAddress);
  }

  /** True when a limit counts by client address: the caller must work it out first. */
  public boolean needsClientAddress() {
    return needsClientAddress;
  }

  /**
   * Decides synchronously, on the calling (event-loop) thread.
   *
   * @param clientAddress the client address after trusted-hop handling, never a raw header
   */
  public RateLimitDecision decide(MultiMap headers, String clientAddress) {
    long now = store.now();
    CounterSpace reported = null;
    long leastRemaining = Long.MAX_VALUE;
    long reset = 0;
    for (int i = 0; i < spaces.length; i++) {
      CounterSpace space = spaces[i];
      TokenBucket bucket = store.bucket(space, keys[i].value(headers, clientAddress), now);
      long result = bucket.tryAcquire(space.rate(), now);
      if (result < 0) {
        refundBefore(i, headers, clientAddress, now);
        count(space, false);
        return new RateLimitDecision(false, space, 0, bucket.debt(space.rate(), now), -result);
      }
      long remaining = space.rate().remaining(result);
      if (remaining < leastRemaining) {
        leastRemaining = remaining;
        reported = space;
        reset = result;
      }
    }
    for (CounterSpace space : spaces) {
      count(space, true);
    }
    return new RateLimitDecision(true, reported, leastRemaining, reset, 0);
  }

  void addSpacesTo(Set<CounterSpace> out) {
    out.addAll(List.of(spaces));
  }

  private void refundBefore(int end, MultiMap headers, String clientAddress, long now) {
    for (int j = 0; j < end; j++) {
      store.bucket(spaces[j], keys[j].value(headers, clientAddress), now).refund(spaces[j].rate());
    }
  }

  private void count(CounterSpace space, boolean allowed) {
    if (metrics != null) {
      metrics.rateLimit(space.limitId(), allowed);
    }
  }
}
