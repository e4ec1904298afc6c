package dev.portico.dataplane.ratelimit;

import dev.portico.dataplane.metrics.ProxyMetrics;
import dev.portico.snapshot.RateLimitConfig;
import dev.portico.snapshot.RuleConfig;
import dev.portico.snapshot.Snapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The data plane's Local rate limiting across snapshots: owns the {@link BucketStore}, turns each
 * loaded snapshot's limits into {@link RuleLimits} per rule, and forgets the counters of limits a
 * served snapshot no longer has. Global limits are left out: nothing enforces them yet.
 */
public final class RateLimiter {
  /** The scope this limiter enforces. */
  static final String LOCAL = "Local";

  private final BucketStore store;
  private final ProxyMetrics metrics;

  /**
   * @param metrics null for none
   */
  public RateLimiter(BucketStore store, ProxyMetrics metrics) {
    this.store = store;
    this.metrics = metrics;
    if (metrics != null) {
      metrics.rateLimitBuckets(store::size);
    }
  }

  /**
   * The limits of every rule that has at least one Local limit, by rule id. A DataPlane limit is
   * one counter space across all rules unless it is per route (or keyed by route); a route's own
   * limit is one counter space across the rules it targets.
   */
  public Map<String, RuleLimits> prepare(Snapshot snapshot) {
    Map<String, RateLimitConfig> limits = new HashMap<>();
    for (RateLimitConfig limit : snapshot.rateLimits()) {
      if (LOCAL.equals(limit.scope())) {
        limits.put(limit.id(), limit);
      }
    }
    Map<String, RuleLimits> byRule = new HashMap<>();
    if (limits.isEmpty()) {
      return byRule;
    }
    for (RuleConfig rule : snapshot.rules()) {
      List<CounterSpace> spaces = new ArrayList<>();
      List<LimitKey> keys = new ArrayList<>();
      for (String id : rule.rateLimits()) {
        add(limits.get(id), rule, false, spaces, keys);
      }
      for (String id : snapshot.dataPlaneRateLimits()) {
        add(limits.get(id), rule, true, spaces, keys);
      }
      if (!spaces.isEmpty()) {
        byRule.put(rule.id(), new RuleLimits(store, metrics, spaces, keys));
      }
    }
    return byRule;
  }

  private void add(
      RateLimitConfig limit,
      RuleConfig rule,
      boolean dataPlaneWide,
      List<CounterSpace> spaces,
      List<LimitKey> keys) {
    if (limit == null) {
      return; // a Global limit
    }
    boolean perRoute = dataPlaneWide && limit.perRoute();
    spaces.add(store.space(limit.id(), perRoute ? rule.route() : null, BucketRate.of(limit)));
    keys.add(LimitKey.of(limit.keyType(), limit.keyHeader(), rule.route()));
  }

  /**
   * Keeps the counters of the limits {@code served} uses and drops the rest; called once a snapshot
   * is being served, so a refused snapshot never costs the running one its counters.
   */
  public void served(Map<String, RuleLimits> served) {
    Set<CounterSpace> live = new HashSet<>();
    served.values().forEach(r -> r.addSpacesTo(live));
    store.retain(live);
  }
}
