package dev.portico.dataplane.server;

import dev.portico.dataplane.auth.AuthServices;
import dev.portico.dataplane.auth.SecurityPlan;
import dev.portico.dataplane.auth.SecurityPlans;
import dev.portico.dataplane.compose.ComposePlan;
import dev.portico.dataplane.cors.CorsPolicy;
import dev.portico.dataplane.proxy.EndpointRegistry;
import dev.portico.dataplane.proxy.RuleBackends;
import dev.portico.dataplane.ratelimit.RateLimitFields;
import dev.portico.dataplane.ratelimit.RateLimiter;
import dev.portico.dataplane.ratelimit.RuleLimits;
import dev.portico.dataplane.routing.PathNormalizer;
import dev.portico.dataplane.routing.RouteTable;
import dev.portico.snapshot.ListenerConfig;
import dev.portico.snapshot.ProxySettingsConfig;
import dev.portico.snapshot.RuleConfig;
import dev.portico.snapshot.Snapshot;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A snapshot prepared for serving: a route table per listener port and the precomputed state of
 * every rule, built once off the request path. Immutable; a request captures one at its start and
 * uses it to the end, which is what makes swaps atomic.
 */
public final class LoadedSnapshot {
  private final Snapshot snapshot;
  private final Map<Integer, RouteTable> tables;

  /** Each rule and its backends, composition and CORS filter; never changed once loaded. */
  private final RuleState rules;

  private final PathNormalizer normalizer;
  private final Map<String, RuleLimits> rateLimits;
  private final RateLimitFields rateLimitFields;
  private final Map<String, SecurityPlan> security;

  // What the next snapshot can reuse when it shares objects with this one (a patched delta).
  private final RouteTable.IndexedHosts indexedHosts;

  /** Whether the rule ids strictly increase, so the next load can walk the changes only. */
  private final boolean rulesIncreasing;

  private LoadedSnapshot(
      Snapshot snapshot,
      Map<Integer, RouteTable> tables,
      RuleState rules,
      Map<String, RuleLimits> rateLimits,
      RouteTable.IndexedHosts indexedHosts,
      boolean rulesIncreasing,
      Map<String, SecurityPlan> security) {
    this.snapshot = snapshot;
    this.security = security;
    this.tables = tables;
    this.rules = rules;
    this.rateLimits = rateLimits;
    this.rateLimitFields = RateLimitFields.of(snapshot.rateLimitHeaders());
    this.indexedHosts = indexedHosts;
    this.rulesIncreasing = rulesIncreasing;
    this.normalizer =
        new PathNormalizer(
            snapshot.proxy().rejectEncodedSlashes()
                ? PathNormalizer.EncodedSlashes.REJECT
                : PathNormalizer.EncodedSlashes.KEEP_ENCODED);
  }

  /**
   * Prepares a snapshot; the endpoint sets and retry budgets it refers to come from {@code
   * registry}, its rate-limit counters from {@code limiter}, so they outlive it. Reuses the route
   * indexes and rule backends that {@code previous} built from the very same virtual host and rule
   * objects: a snapshot patched from a delta rebuilds only what changed.
   *
   * @param previous the snapshot served now, or null
   * @throws IllegalArgumentException when a route or a rule cannot be served (a regular expression
   *     RE2J refuses, an unknown load balancer, a CORS origin that is none): the snapshot is
   *     refused as a whole
   */
  public static LoadedSnapshot load(
      Snapshot snapshot, EndpointRegistry registry, RateLimiter limiter, LoadedSnapshot previous) {
    return load(snapshot, registry, limiter, previous, null);
  }

  /**
   * @param auth fetched JWK Sets, the bcrypt pool and the clock; null only for snapshots without
   *     security (tests)
   */
  public static LoadedSnapshot load(
      Snapshot snapshot,
      EndpointRegistry registry,
      RateLimiter limiter,
      LoadedSnapshot previous,
      AuthServices auth) {
    if (snapshot.proxy() == null) {
      throw new IllegalArgumentException(
          "snapshot " + snapshot.version() + " has no proxy settings");
    }
    RouteTable.IndexedHosts before =
        previous == null ? new RouteTable.IndexedHosts() : previous.indexedHosts;
    RouteTable.IndexedHosts after = new RouteTable.IndexedHosts();
    Map<Integer, RouteTable> tables = new HashMap<>();
    for (ListenerConfig listener : snapshot.listeners()) {
      tables.put(listener.port(), RouteTable.of(listener, before, after));
    }
    RuleChanges changes =
        previous == null || !previous.rulesIncreasing
            ? null
            : RuleChanges.between(previous.snapshot.rules(), snapshot.rules());
    RuleState state;
    Map<String, RuleLimits> rateLimits;
    if (changes == null) {
      state = RuleState.empty();
      for (RuleConfig rule : snapshot.rules()) {
        state.put(rule, previous == null ? null : previous.rules, registry);
      }
      rateLimits = limiter.prepare(snapshot);
    } else {
      // The served state with the changed rules written on top: every unchanged rule's prepared
      // state is the served one's, as a whole load would have reused it anyway.
      state = previous.rules.next();
      changes.removed().forEach(state::remove);
      for (RuleConfig rule : changes.updated()) {
        state.remove(rule.id());
        state.put(rule, null, registry);
      }
      rateLimits = rateLimits(snapshot, limiter, previous, changes);
    }
    return new LoadedSnapshot(
        snapshot,
        Collections.unmodifiableMap(tables),
        state,
        Collections.unmodifiableMap(rateLimits),
        after,
        changes != null || RuleChanges.increasing(snapshot.rules()),
        auth == null
            ? Map.of()
            : Map.copyOf(SecurityPlans.prepare(snapshot.rules(), snapshot.auth(), auth)));
  }

  /**
   * The served limits with the changed rules' prepared again, when the limits, the DataPlane-wide
   * ones and the Redis store are those the served snapshot was prepared with; else all of them.
   */
  private static Map<String, RuleLimits> rateLimits(
      Snapshot snapshot, RateLimiter limiter, LoadedSnapshot previous, RuleChanges changes) {
    Snapshot served = previous.snapshot;
    if (snapshot.rateLimits().isEmpty() && served.rateLimits().isEmpty()) {
      return Map.of();
    }
    if (!served.rateLimits().equals(snapshot.rateLimits())
        || !served.dataPlaneRateLimits().equals(snapshot.dataPlaneRateLimits())
        || !Objects.equals(served.redis(), snapshot.redis())
        || !Objects.equals(served.dataPlane(), snapshot.dataPlane())) {
      return limiter.prepare(snapshot);
    }
    Map<String, RuleLimits> limits = new HashMap<>(previous.rateLimits);
    changes.removed().forEach(limits::remove);
    changes.updated().forEach(rule -> limits.remove(rule.id()));
    limits.putAll(limiter.prepare(snapshot, changes.updated()));
    return limits;
  }

  public Snapshot snapshot() {
    return snapshot;
  }

  public ProxySettingsConfig proxy() {
    return snapshot.proxy();
  }

  public PathNormalizer normalizer() {
    return normalizer;
  }

  /** The table of the listener on {@code port}, or null when this snapshot has none there. */
  public RouteTable table(int port) {
    return tables.get(port);
  }

  public RuleConfig rule(String id) {
    return rules.rule(id);
  }

  public RuleBackends backends(String ruleId) {
    return rules.backends(ruleId);
  }

  /** The prepared composition of a composing rule, or null. */
  public ComposePlan composePlan(String ruleId) {
    return rules.composePlan(ruleId);
  }

  /** The security plan of a rule, or null when anybody may call it. */
  public SecurityPlan security(String ruleId) {
    return security.get(ruleId);
  }

  /** The prepared CORS filter of a rule, or null when it has none. */
  public CorsPolicy cors(String ruleId) {
    return rules.cors(ruleId);
  }

  /** The Local rate limits of a rule, or null when it has none. */
  public RuleLimits rateLimits(String ruleId) {
    return rateLimits.get(ruleId);
  }

  /** Every rule's Local rate limits, by rule id. */
  public Map<String, RuleLimits> rateLimits() {
    return rateLimits;
  }

  /** The rate-limit fields limited routes answer with. */
  public RateLimitFields rateLimitFields() {
    return rateLimitFields;
  }

  /** The ports of the listeners this snapshot serves. */
  public Set<Integer> ports() {
    Set<Integer> ports = new TreeSet<>();
    for (ListenerConfig l : snapshot.listeners()) {
      ports.add(l.port());
    }
    return ports;
  }
}
