package dev.portico.compiler;

import dev.portico.api.common.Conditions.Reasons;
import dev.portico.api.ratelimit.PolicyTargetRef;
import dev.portico.api.ratelimit.RateLimit;
import dev.portico.api.ratelimit.RateLimitKey;
import dev.portico.snapshot.RateLimitConfig;
import java.util.List;
import java.util.Locale;

/**
 * Attaches RateLimitPolicies to their targets: a GatewayRoute (every rule or one named rule) or a
 * DataPlane, always in the policy's own namespace. A missing target rejects the policy alone.
 */
final class RateLimitPolicyPass implements CompilerPass {
  @Override
  public void apply(CompilationContext ctx) {
    for (PolicyState policy : ctx.policies.values()) {
      if (!policy.accepted()) {
        continue;
      }
      PolicyTargetRef target = policy.resource.getSpec().targetRef;
      String targetId = policy.key.namespace() + "/" + target.name;
      switch (target.kind) {
        case GatewayRoute -> attachToRoute(ctx, policy, target, targetId);
        case DataPlane -> attachToDataPlane(ctx, policy, targetId);
      }
    }
  }

  private void attachToRoute(
      CompilationContext ctx, PolicyState policy, PolicyTargetRef target, String routeId) {
    RouteState route = ctx.routes.get(routeId);
    if (route == null) {
      policy.problems.add(
          new Problem(
              Reasons.TARGET_NOT_FOUND,
              "GatewayRoute " + routeId + " does not exist in the policy's namespace"));
      return;
    }
    List<String> ids = limits(ctx, policy);
    boolean found = false;
    for (int r = 0; r < route.rules().size(); r++) {
      if (target.ruleName == null || target.ruleName.equals(route.rules().get(r).name)) {
        route.rateLimitsOf(r).addAll(ids);
        found = true;
      }
    }
    if (!found) {
      policy.problems.add(
          new Problem(
              Reasons.TARGET_NOT_FOUND,
              "GatewayRoute " + routeId + " has no rule named " + target.ruleName));
    }
  }

  private void attachToDataPlane(CompilationContext ctx, PolicyState policy, String dpId) {
    DataPlaneState dp = ctx.dataPlanes.get(dpId);
    if (dp == null) {
      policy.problems.add(
          new Problem(
              Reasons.TARGET_NOT_FOUND,
              "DataPlane "
                  + dpId
                  + " does not exist; a policy on a DataPlane must live in the DataPlane's"
                  + " namespace"));
      return;
    }
    dp.rateLimits.addAll(limits(ctx, policy));
  }

  /** Registers the policy's limits and returns their ids. */
  private List<String> limits(CompilationContext ctx, PolicyState policy) {
    String prefix = policy.key.namespacedName() + "/";
    List<String> ids =
        policy.resource.getSpec().limits.stream()
            .map(limit -> register(ctx, prefix + limit.name, limit))
            .toList();
    policy.limitIds.addAll(ids);
    return ids;
  }

  private static String register(CompilationContext ctx, String id, RateLimit limit) {
    RateLimitKey key = limit.key == null ? new RateLimitKey() : limit.key;
    String scope = limit.scope == null ? "Local" : limit.scope.name();
    String failure =
        "Global".equals(scope)
            ? (limit.failurePolicy == null ? "Open" : limit.failurePolicy.name())
            : null;
    ctx.rateLimits.put(
        id,
        new RateLimitConfig(
            id,
            limit.requests,
            seconds(limit.window),
            limit.burst == null ? limit.requests : limit.burst,
            key.type == null ? "None" : key.type.name(),
            key.header == null ? null : key.header.toLowerCase(Locale.ROOT),
            scope,
            failure,
            Boolean.TRUE.equals(limit.perRoute),
            limit.when == null ? List.of() : limit.when.stream().map(Matches::translate).toList(),
            key.claim));
    return id;
  }

  private static long seconds(RateLimit.Window window) {
    return switch (window) {
      case Second -> 1;
      case Minute -> 60;
      case Hour -> 3_600;
      case Day -> 86_400;
    };
  }
}
