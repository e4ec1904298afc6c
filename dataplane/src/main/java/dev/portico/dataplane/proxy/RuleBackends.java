package dev.portico.dataplane.proxy;

import dev.portico.dataplane.upstream.BackendPicker;
import dev.portico.dataplane.upstream.Balancers;
import dev.portico.dataplane.upstream.LoadBalancer;
import dev.portico.dataplane.upstream.RetryBudget;
import dev.portico.dataplane.upstream.RetryDecider;
import dev.portico.snapshot.BackendConfig;
import dev.portico.snapshot.LoadBalancerConfig;
import dev.portico.snapshot.RuleConfig;
import java.util.List;

/**
 * The upstream side of one proxying rule, built when a snapshot loads so that the request path only
 * reads: weighted backend choice, one balancer per backend over its long-lived endpoint set, the
 * retry decider and the rule's retry budget.
 */
public final class RuleBackends {
  private final RuleConfig rule;
  private final BackendPicker picker;
  private final LoadBalancer[] balancers;
  private final RetryDecider retries;
  private final RetryBudget budget;

  private RuleBackends(
      RuleConfig rule,
      BackendPicker picker,
      LoadBalancer[] balancers,
      RetryDecider retries,
      RetryBudget budget) {
    this.rule = rule;
    this.picker = picker;
    this.balancers = balancers;
    this.retries = retries;
    this.budget = budget;
  }

  /**
   * @throws IllegalArgumentException for a load balancer type this data plane does not know
   */
  public static RuleBackends of(RuleConfig rule, EndpointRegistry registry) {
    List<BackendConfig> backends = rule.action().backends();
    LoadBalancer[] balancers = new LoadBalancer[backends.size()];
    for (int i = 0; i < balancers.length; i++) {
      balancers[i] =
          Balancers.create(
              rule.loadBalancer(), registry.set(EndpointRegistry.key(backends.get(i))));
    }
    RetryDecider retries =
        rule.retry() == null ? RetryDecider.NEVER : RetryDecider.of(rule.retry());
    return new RuleBackends(
        rule, BackendPicker.of(backends), balancers, retries, registry.budget(rule.id()));
  }

  public RuleConfig rule() {
    return rule;
  }

  /** The balancer of a weighted random backend, or null when no backend can take traffic. */
  public LoadBalancer pick() {
    int i = picker.pickIndex();
    return i < 0 ? null : balancers[i];
  }

  public RetryDecider retries() {
    return retries;
  }

  public RetryBudget budget() {
    return budget;
  }

  /** The consistent-hash key spec, or null when the rule does not hash. */
  public LoadBalancerConfig loadBalancer() {
    return rule.loadBalancer();
  }
}
