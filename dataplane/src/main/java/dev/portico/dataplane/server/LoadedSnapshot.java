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
import java.util.IdentityHashMap;
import java.util.Map;
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
  private final Map<String, RuleConfig> rules;
  private final Map<String, RuleBackends> backends;
  private final PathNormalizer normalizer;
  private final Map<String, RuleLimits> rateLimits;
  private final RateLimitFields rateLimitFields;
  private final Map<String, SecurityPlan> security;
  private final Map<String, CorsPolicy> cors;

  // What the next snapshot can reuse when it shares objects with this one (a patched delta).
  private final RouteTable.IndexedHosts indexedHosts;
  private final Map<RuleConfig, RuleBackends> backendsByRule;
  private final Map<String, ComposePlan> composePlans;
  private final Map<RuleConfig, ComposePlan> composeByRule;

  private LoadedSnapshot(
      Snapshot snapshot,
      Map<Integer, RouteTable> tables,
      Map<String, RuleConfig> rules,
      Map<String, RuleBackends> backends,
      Map<String, RuleLimits> rateLimits,
      RouteTable.IndexedHosts indexedHosts,
      Map<RuleConfig, RuleBackends> backendsByRule,
      Map<String, ComposePlan> composePlans,
      Map<RuleConfig, ComposePlan> composeByRule,
      Map<String, SecurityPlan> security,
      Map<String, CorsPolicy> cors) {
    this.snapshot = snapshot;
    this.security = security;
    this.cors = cors;
    this.tables = tables;
    this.rules = rules;
    this.backends = backends;
    this.rateLimits = rateLimits;
    this.rateLimitFields = RateLimitFields.of(snapshot.rateLimitHeaders());
    this.indexedHosts = indexedHosts;
    this.backendsByRule = backendsByRule;
    this.composePlans = composePlans;
    this.composeByRule = composeByRule;
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
    Map<RuleConfig, RuleBackends> backendsBefore =
        previous == null ? Map.of() : previous.backendsByRule;
    RouteTable.IndexedHosts after = new RouteTable.IndexedHosts();
    Map<Integer, RouteTable> tables = new HashMap<>();
    for (ListenerConfig listener : snapshot.listeners()) {
      tables.put(listener.port(), RouteTable.of(listener, before, after));
    }
    Map<String, RuleConfig> rules = new HashMap<>();
    Map<String, RuleBackends> backends = new HashMap<>();
    Map<RuleConfig, RuleBackends> backendsByRule = new IdentityHashMap<>();
    Map<RuleConfig, ComposePlan> composeBefore =
        previous == null ? Map.of() : previous.composeByRule;
    Map<String, ComposePlan> composePlans = new HashMap<>();
    Map<RuleConfig, ComposePlan> composeByRule = new IdentityHashMap<>();
    Map<String, CorsPolicy> cors = new HashMap<>();
    for (RuleConfig rule : snapshot.rules()) {
      rules.put(rule.id(), rule);
      if (rule.cors() != null) {
        cors.put(rule.id(), CorsPolicy.of(rule.cors()));
      }
      if (rule.action() != null && rule.action().backends() != null) {
        RuleBackends b = backendsBefore.get(rule);
        if (b == null) {
          b = RuleBackends.of(rule, registry);
        }
        backends.put(rule.id(), b);
        backendsByRule.put(rule, b);
      }
      if (rule.action() != null && rule.action().compose() != null) {
        ComposePlan plan = composeBefore.get(rule);
        if (plan == null) {
          plan = ComposePlan.of(rule, registry);
        }
        composePlans.put(rule.id(), plan);
        composeByRule.put(rule, plan);
      }
    }
    return new LoadedSnapshot(
        snapshot,
        Collections.unmodifiableMap(tables),
        Collections.unmodifiableMap(rules),
        Collections.unmodifiableMap(backends),
        Collections.unmodifiableMap(limiter.prepare(snapshot)),
        after,
        backendsByRule,
        Collections.unmodifiableMap(composePlans),
        composeByRule,
        auth == null
            ? Map.of()
            : Map.copyOf(SecurityPlans.prepare(snapshot.rules(), snapshot.auth(), auth)),
        Collections.unmodifiableMap(cors));
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
    return rules.get(id);
  }

  public RuleBackends backends(String ruleId) {
    return backends.get(ruleId);
  }

  /** The prepared composition of a composing rule, or null. */
  public ComposePlan composePlan(String ruleId) {
    return composePlans.get(ruleId);
  }

  /** The security plan of a rule, or null when anybody may call it. */
  public SecurityPlan security(String ruleId) {
    return security.get(ruleId);
  }

  /** The prepared CORS filter of a rule, or null when it has none. */
  public CorsPolicy cors(String ruleId) {
    return cors.get(ruleId);
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
