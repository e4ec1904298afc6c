package dev.portico.dataplane.server;

import dev.portico.dataplane.compose.ComposePlan;
import dev.portico.dataplane.cors.CorsPolicy;
import dev.portico.dataplane.proxy.EndpointRegistry;
import dev.portico.dataplane.proxy.RuleBackends;
import dev.portico.snapshot.RuleConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * The per-rule state a {@link LoadedSnapshot} prepares, by rule id: the rule, its backends or
 * composition, its CORS filter. Filled while the snapshot is built, then kept by it unchanged; the
 * next load starts from a {@link #copy}.
 */
final class RuleState {
  final Map<String, RuleConfig> rules;
  final Map<String, RuleBackends> backends;
  final Map<String, ComposePlan> composePlans;
  final Map<String, CorsPolicy> cors;

  private RuleState(
      Map<String, RuleConfig> rules,
      Map<String, RuleBackends> backends,
      Map<String, ComposePlan> composePlans,
      Map<String, CorsPolicy> cors) {
    this.rules = rules;
    this.backends = backends;
    this.composePlans = composePlans;
    this.cors = cors;
  }

  static RuleState empty() {
    return new RuleState(new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>());
  }

  /** A mutable copy, so the served maps stay as they are. */
  RuleState copy() {
    return new RuleState(
        new HashMap<>(rules),
        new HashMap<>(backends),
        new HashMap<>(composePlans),
        new HashMap<>(cors));
  }

  /**
   * Prepares one rule, reusing the backends and composition that {@code served} built from the very
   * same rule object (their balancers and pools outlive the swap that way).
   *
   * @param served the served snapshot's state, or null
   * @throws IllegalArgumentException for a load balancer or CORS origin that cannot be served
   */
  void put(RuleConfig rule, RuleState served, EndpointRegistry registry) {
    rules.put(rule.id(), rule);
    if (rule.cors() != null) {
      cors.put(rule.id(), CorsPolicy.of(rule.cors()));
    }
    if (rule.action() != null && rule.action().backends() != null) {
      RuleBackends b = served == null ? null : served.backends.get(rule.id());
      backends.put(rule.id(), b != null && b.rule() == rule ? b : RuleBackends.of(rule, registry));
    }
    if (rule.action() != null && rule.action().compose() != null) {
      ComposePlan plan = served == null ? null : served.composePlans.get(rule.id());
      composePlans.put(
          rule.id(), plan != null && plan.rule() == rule ? plan : ComposePlan.of(rule, registry));
    }
  }

  void remove(String id) {
    rules.remove(id);
    backends.remove(id);
    composePlans.remove(id);
    cors.remove(id);
  }
}
