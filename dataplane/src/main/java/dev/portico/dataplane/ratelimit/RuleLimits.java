package dev.portico.dataplane.ratelimit;

import dev.portico.dataplane.auth.Identity;
import dev.portico.dataplane.metrics.ProxyMetrics;
import dev.portico.dataplane.ratelimit.global.GlobalDecision;
import dev.portico.dataplane.ratelimit.global.GlobalStep;
import dev.portico.dataplane.ratelimit.global.RedisRateLimiter;
import dev.portico.dataplane.routing.MatchCondition;
import dev.portico.dataplane.routing.RequestView;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The limits that apply to one rule, its own and its DataPlane's, ready to decide: all must admit a
 * request. Built once per snapshot.
 *
 * <p>Local limits decide first, on the event loop: one token from each bucket whose {@code when}
 * conditions hold; when one refuses, the others get back what they gave. Then, only if the Local
 * ones admitted the request, the Global limits decide in one atomic Redis script (all take the
 * request or none does); when they refuse, the Local buckets get their tokens back too. So a
 * refused request costs no limit a token.
 */
public final class RuleLimits {
  private final BucketStore store;
  private final ProxyMetrics metrics;
  private final CounterSpace[] spaces;
  private final LimitKey[] keys;
  private final MatchCondition[][] localWhen;
  private final GlobalLimit[] globals;
  private final RedisRateLimiter redis;
  private final boolean needsClientAddress;

  RuleLimits(
      BucketStore store,
      ProxyMetrics metrics,
      List<CounterSpace> spaces,
      List<LimitKey> keys,
      List<MatchCondition[]> localWhen,
      List<GlobalLimit> globals,
      List<LimitKey> globalKeys,
      RedisRateLimiter redis) {
    this.store = store;
    this.metrics = metrics;
    this.spaces = spaces.toArray(CounterSpace[]::new);
    this.keys = keys.toArray(LimitKey[]::new);
    this.localWhen = localWhen.toArray(MatchCondition[][]::new);
    this.globals = globals.toArray(GlobalLimit[]::new);
    this.redis = redis;
    this.needsClientAddress =
        keys.stream().anyMatch(k -> k.type() == LimitKey.Type.ClientAddress)
            || globalKeys.stream().anyMatch(k -> k.type() == LimitKey.Type.ClientAddress);
  }

  /** True when a limit counts by client address: the caller must work it out first. */
  public boolean needsClientAddress() {
    return needsClientAddress;
  }

  /**
   * Decides for one request. The future is already complete when no Global limit applies (the Local
   * ones decide synchronously, on the calling event-loop thread); otherwise it completes when Redis
   * answers, or at once by the failure policies when Redis is not configured or its circuit is
   * open. It never fails.
   *
   * @param clientAddress the client address after trusted-hop handling, never a raw header
   * @param caller who the security stage established the caller to be, or null
   */
  public Future<RateLimitDecision> decide(
      RequestView request, MultiMap headers, String clientAddress, Identity caller) {
    long now = store.now();
    ReportedLimit reported = null;
    long leastRemaining = Long.MAX_VALUE;
    long reset = 0;
    for (int i = 0; i < spaces.length; i++) {
      if (!MatchCondition.anyHolds(localWhen[i], request)) {
        continue;
      }
      CounterSpace space = spaces[i];
      TokenBucket bucket = store.bucket(space, keys[i].value(headers, clientAddress, caller), now);
      long result = bucket.tryAcquire(space.rate(), now);
      if (result < 0) {
        refundBefore(i, request, headers, clientAddress, caller, now);
        count(space.limitId(), false);
        return Future.succeededFuture(
            new RateLimitDecision(false, space, 0, bucket.debt(space.rate(), now), -result));
      }
      long remaining = space.rate().remaining(result);
      if (remaining < leastRemaining) {
        leastRemaining = remaining;
        reported = space;
        reset = result;
      }
    }
    RateLimitDecision local =
        new RateLimitDecision(true, reported, reported == null ? 0 : leastRemaining, reset, 0);
    if (globals.length == 0) {
      countLocal(request, true);
      return Future.succeededFuture(local);
    }
    List<GlobalLimit> applied = new ArrayList<>(globals.length);
    List<GlobalStep> steps = new ArrayList<>(globals.length);
    for (GlobalLimit g : globals) {
      if (MatchCondition.anyHolds(g.when, request)) {
        applied.add(g);
        steps.add(g.step(headers, clientAddress, caller));
      }
    }
    if (steps.isEmpty()) {
      countLocal(request, true);
      return Future.succeededFuture(local);
    }
    Future<GlobalDecision> shared =
        redis == null
            ? Future.succeededFuture(GlobalDecision.failurePolicy(steps))
            : redis.acquire(steps);
    return shared.map(g -> combine(g, applied, local, request, headers, clientAddress, caller));
  }

  private RateLimitDecision combine(
      GlobalDecision g,
      List<GlobalLimit> applied,
      RateLimitDecision local,
      RequestView request,
      MultiMap headers,
      String clientAddress,
      Identity caller) {
    GlobalLimit limit = applied.get(g.index());
    if (!g.allowed()) {
      refundBefore(spaces.length, request, headers, clientAddress, caller, store.now());
      count(limit.limitId, false);
      return new RateLimitDecision(
          false,
          limit,
          0,
          TimeUnit.MILLISECONDS.toNanos(g.resetMillis()),
          TimeUnit.MILLISECONDS.toNanos(g.retryAfterMillis()),
          g.degraded());
    }
    countLocal(request, true);
    if (!g.degraded()) { // decisions without Redis are counted as fallbacks, not as counts
      for (GlobalLimit a : applied) {
        count(a.limitId, true);
      }
    }
    if (!g.degraded() && (local.limit() == null || g.remaining() < local.remaining())) {
      return new RateLimitDecision(
          true, limit, g.remaining(), TimeUnit.MILLISECONDS.toNanos(g.resetMillis()), 0);
    }
    return local;
  }

  void addSpacesTo(Set<CounterSpace> out) {
    out.addAll(List.of(spaces));
  }

  /** Gives back the tokens the Local limits before {@code end} took for this request. */
  private void refundBefore(
      int end,
      RequestView request,
      MultiMap headers,
      String clientAddress,
      Identity caller,
      long now) {
    for (int j = 0; j < end; j++) {
      if (MatchCondition.anyHolds(localWhen[j], request)) {
        store
            .bucket(spaces[j], keys[j].value(headers, clientAddress, caller), now)
            .refund(spaces[j].rate());
      }
    }
  }

  private void countLocal(RequestView request, boolean allowed) {
    for (int i = 0; i < spaces.length; i++) {
      if (MatchCondition.anyHolds(localWhen[i], request)) {
        count(spaces[i].limitId(), allowed);
      }
    }
  }

  private void count(String limitId, boolean allowed) {
    if (metrics != null) {
      metrics.rateLimit(limitId, allowed);
    }
  }
}
