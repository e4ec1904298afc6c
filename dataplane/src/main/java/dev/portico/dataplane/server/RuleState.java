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
 * composition, its CORS filter. Filled while the snapshot is built, then kept by it unchanged.
 *
 * <p>The next load starts from {@link #next}: the served state's rules as a shared base, with the
 * rules a delta changes written on top of it. A delta among 5,000 rules then costs a copy of the
 * few rules changed since the base was made, not of 5,000 entries; once those outnumber an eighth
 * of the base, the next state merges them into a new base (amortized, a few entries per delta). A
 * lookup is at most two hash lookups.
 */
final class RuleState {
  /** One rule's prepared state; a null field where the rule has none of that. */
  private record Prepared(
      RuleConfig rule, RuleBackends backends, ComposePlan compose, CorsPolicy cors) {}

  /** Stands in the overlay for a rule of the base that is gone. */
  private static final Prepared REMOVED = new Prepared(null, null, null, null);

  /** Shared with the states made from this one once it is served: never written then. */
  private final Map<String, Prepared> base;

  /** This state's changes to the base; written while the state is built. */
  private final Map<String, Prepared> overlay;

  /** Whether the base is this state's own (a whole load), so that puts go straight into it. */
  private final boolean ownsBase;

  private RuleState(Map<String, Prepared> base, Map<String, Prepared> overlay, boolean ownsBase) {
    this.base = base;
    this.overlay = overlay;
    this.ownsBase = ownsBase;
  }

  static RuleState empty() {
    return new RuleState(new HashMap<>(), new HashMap<>(), true);
  }

  /** A state to build the next load on; this one, which is served, stays as it is. */
  RuleState next() {
    if (overlay.size() > base.size() / 8 + 64) {
      Map<String, Prepared> merged = new HashMap<>(base);
      overlay.forEach(
          (id, p) -> {
            if (p == REMOVED) {
              merged.remove(id);
            } else {
              merged.put(id, p);
            }
          });
      return new RuleState(merged, new HashMap<>(), false);
    }
    return new RuleState(base, new HashMap<>(overlay), false);
  }

  private Prepared prepared(String id) {
    Prepared p = overlay.isEmpty() ? null : overlay.get(id);
    if (p == null) {
      p = base.get(id);
    }
    return p == REMOVED ? null : p;
  }

  RuleConfig rule(String id) {
    Prepared p = prepared(id);
    return p == null ? null : p.rule();
  }

  RuleBackends backends(String id) {
    Prepared p = prepared(id);
    return p == null ? null : p.backends();
  }

  ComposePlan composePlan(String id) {
    Prepared p = prepared(id);
    return p == null ? null : p.compose();
  }

  CorsPolicy cors(String id) {
    Prepared p = prepared(id);
    return p == null ? null : p.cors();
  }

  /**
   * Prepares one rule, reusing the backends and composition that {@code served} built from the very
   * same rule object (their balancers and pools outlive the swap that way).
   *
   * @param served the served snapshot's state, or null
   * @throws IllegalArgumentException for a load balancer or CORS origin that cannot be served
   */
  void put(RuleConfig rule, RuleState served, EndpointRegistry registry) {
    CorsPolicy cors = rule.cors() == null ? null : CorsPolicy.of(rule.cors());
    RuleBackends backends = null;
    if (rule.action() != null && rule.action().backends() != null) {
      RuleBackends b = served == null ? null : served.backends(rule.id());
      backends = b != null && b.rule() == rule ? b : RuleBackends.of(rule, registry);
    }
    ComposePlan compose = null;
    if (rule.action() != null && rule.action().compose() != null) {
      ComposePlan plan = served == null ? null : served.composePlan(rule.id());
      compose = plan != null && plan.rule() == rule ? plan : ComposePlan.of(rule, registry);
    }
    write(rule.id(), new Prepared(rule, backends, compose, cors));
  }

  void remove(String id) {
    if (ownsBase) {
      base.remove(id);
    } else if (base.containsKey(id)) {
      overlay.put(id, REMOVED);
    } else {
      overlay.remove(id);
    }
  }

  private void write(String id, Prepared p) {
    if (ownsBase) {
      base.put(id, p);
    } else {
      overlay.put(id, p);
    }
  }
}
