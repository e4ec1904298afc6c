package dev.portico.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What happens to a request once a match selected this rule.
 *
 * @param id stable id: {@code namespace/route/index}; survives snapshot swaps, so counters and
 *     pools keyed by it do too
 * @param route {@code namespace/name} of the GatewayRoute
 * @param name the rule's name, or null
 * @param action exactly one of backends, redirect or direct response
 * @param rateLimits ids of route-level limits, sorted
 * @param security who may call the rule (the rule's or its route's block), or null: then the
 *     snapshot's default security applies
 * @param cors the rule's CORS filter, or null
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record RuleConfig(
    String id,
    String route,
    String name,
    RequestEdits request,
    HeaderEdits response,
    ActionConfig action,
    TimeoutsConfig timeouts,
    RetryConfig retry,
    LoadBalancerConfig loadBalancer,
    List<String> rateLimits,
    SecurityConfig security,
    CorsConfig cors) {

  public RuleConfig {
    rateLimits = Lists.copy(rateLimits);
  }
}
