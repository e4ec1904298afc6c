package dev.portico.dataplane.ratelimit;

import dev.portico.dataplane.metrics.ProxyMetrics;
import dev.portico.dataplane.ratelimit.global.RedisRateLimiter;
import dev.portico.dataplane.ratelimit.global.RedisStores;
import dev.portico.dataplane.routing.MatchCondition;
import dev.portico.snapshot.RateLimitConfig;
import dev.portico.snapshot.RedisConfig;
import dev.portico.snapshot.RuleConfig;
import dev.portico.snapshot.Snapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data plane's rate limiting across snapshots: owns the Local {@link BucketStore} and the Redis
 * clients ({@link RedisStores}) for Global limits, turns each loaded snapshot's limits into {@link
 * RuleLimits} per rule, and forgets the counters and clients a served snapshot no longer uses.
 */
public final class RateLimiter {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);

  static final String LOCAL = "Local";
  static final String GLOBAL = "Global";

  private final BucketStore store;
  private final ProxyMetrics metrics;
  private final RedisStores redisStores;

  /**
   * @param metrics null for none
   * @param redisStores null when Global limits must always decide by their failure policy
   */
  public RateLimiter(BucketStore store, ProxyMetrics metrics, RedisStores redisStores) {
    this.store = store;
    this.metrics = metrics;
    this.redisStores = redisStores;
    if (metrics != null) {
      metrics.rateLimitBuckets(store::size);
    }
  }

  /** Local limits only; Global limits decide by their failure policy. */
  public RateLimiter(BucketStore store, ProxyMetrics metrics) {
    this(store, metrics, null);
  }

  /**
   * The limits of every rule that has at least one, by rule id. A DataPlane limit is one counter
   * space across all rules unless it is per route (or keyed by route); a route's own limit is one
   * counter space across the rules it targets.
   *
   * @throws IllegalArgumentException when a {@code when} pattern cannot be compiled
   */
  public Map<String, RuleLimits> prepare(Snapshot snapshot) {
    return prepare(snapshot, snapshot.rules());
  }

  /**
   * {@link #prepare(Snapshot)} for some of the snapshot's rules only: those a new snapshot changed,
   * when its limits are the served one's.
   *
   * @throws IllegalArgumentException when a {@code when} pattern cannot be compiled
   */
  public Map<String, RuleLimits> prepare(Snapshot snapshot, Collection<RuleConfig> rules) {
    Map<String, RateLimitConfig> limits = new HashMap<>();
    boolean hasGlobal = false;
    for (RateLimitConfig limit : snapshot.rateLimits()) {
      limits.put(limit.id(), limit);
      hasGlobal |= GLOBAL.equals(limit.scope());
    }
    Map<String, RuleLimits> byRule = new HashMap<>();
    if (limits.isEmpty()) {
      return byRule;
    }
    RedisRateLimiter redis =
        hasGlobal && redisStores != null ? redisStores.limiterFor(snapshot.redis()) : null;
    if (hasGlobal && redis == null) {
      LOG.warn(
          "snapshot {} of {} has Global rate limits but no Redis store: they decide by their"
              + " failure policy (see the policies' Enforced condition)",
          snapshot.version(),
          snapshot.dataPlane());
    }
    for (RuleConfig rule : rules) {
      Built b = new Built();
      for (String id : rule.rateLimits()) {
        b.add(limits.get(id), rule, false, snapshot.dataPlane());
      }
      for (String id : snapshot.dataPlaneRateLimits()) {
        b.add(limits.get(id), rule, true, snapshot.dataPlane());
      }
      if (!b.spaces.isEmpty() || !b.globals.isEmpty()) {
        byRule.put(
            rule.id(),
            new RuleLimits(
                store, metrics, b.spaces, b.keys, b.when, b.globals, b.globalKeys, redis));
      }
    }
    return byRule;
  }

  /** The limits of one rule as they are gathered. */
  private final class Built {
    final List<CounterSpace> spaces = new ArrayList<>();
    final List<LimitKey> keys = new ArrayList<>();
    final List<MatchCondition[]> when = new ArrayList<>();
    final List<GlobalLimit> globals = new ArrayList<>();
    final List<LimitKey> globalKeys = new ArrayList<>();

    void add(RateLimitConfig limit, RuleConfig rule, boolean dataPlaneWide, String dataPlane) {
      if (limit == null) {
        return;
      }
      boolean perRoute = dataPlaneWide && limit.perRoute();
      LimitKey key =
          LimitKey.of(limit.keyType(), limit.keyHeader(), rule.route(), limit.keyClaim());
      if (GLOBAL.equals(limit.scope())) {
        globals.add(new GlobalLimit(dataPlane, limit, perRoute ? rule.route() : null, key));
        globalKeys.add(key);
      } else {
        spaces.add(store.space(limit.id(), perRoute ? rule.route() : null, BucketRate.of(limit)));
        keys.add(key);
        when.add(MatchCondition.all(limit.when(), limit.id()));
      }
    }
  }

  /**
   * Keeps the counters of the limits {@code served} uses and drops the rest, and keeps only the
   * Redis client of {@code redis}; called once a snapshot is being served, so a refused snapshot
   * never costs the running one its counters or its connections.
   */
  public void served(Map<String, RuleLimits> served, RedisConfig redis) {
    Set<CounterSpace> live = new HashSet<>();
    served.values().forEach(r -> r.addSpacesTo(live));
    store.retain(live);
    if (redisStores != null) {
      redisStores.served(redis);
    }
  }
}
