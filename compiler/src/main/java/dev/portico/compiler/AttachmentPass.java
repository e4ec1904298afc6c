package dev.portico.compiler;

import dev.portico.api.common.Conditions.Reasons;
import dev.portico.api.dataplane.AllowedRoutes;
import dev.portico.api.dataplane.Listener;
import dev.portico.api.route.GatewayRouteSpec;
import dev.portico.api.route.ParentRef;
import dev.portico.api.route.RouteMatch;
import dev.portico.api.route.RouteRule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Attaches each valid route to the listeners its parentRefs name, where the DataPlane's
 * allowedRoutes admit the route's namespace and the hostnames intersect; every match of every rule
 * then becomes a {@link Claim} on each (listener, hostname).
 */
final class AttachmentPass implements CompilerPass {
  @Override
  public void apply(CompilationContext ctx) {
    for (RouteState route : ctx.routes.values()) {
      if (route.restored()) {
        ctx.claims.addAll(route.restoredClaims); // same order as computing them again
        continue;
      }
      if (!route.valid()) {
        continue;
      }
      Set<String> seen = new HashSet<>();
      for (ParentRef ref : route.resource.getSpec().parentRefs) {
        route.parentOutcomes.add(attach(ctx, route, ref, seen));
      }
    }
  }

  /** Returns null when the route attached to at least one listener, else why not. */
  private Problem attach(
      CompilationContext ctx, RouteState route, ParentRef ref, Set<String> seen) {
    String ns = ref.namespace == null ? route.namespace() : ref.namespace;
    String dpId = ns + "/" + ref.name;
    DataPlaneState dp = ctx.dataPlanes.get(dpId);
    if (dp == null) {
      return new Problem(Reasons.NO_MATCHING_PARENT, "DataPlane " + dpId + " does not exist");
    }
    if (!dp.accepted()) {
      return new Problem(
          Reasons.NO_MATCHING_PARENT, "DataPlane " + dpId + " is not accepted; see its status");
    }
    if (!admits(ctx, dp, route.namespace())) {
      return new Problem(
          Reasons.NOT_ALLOWED_BY_LISTENERS,
          "DataPlane "
              + dpId
              + " does not admit routes from namespace "
              + route.namespace()
              + " (spec.allowedRoutes)");
    }
    List<Listener> listeners = new ArrayList<>();
    for (Listener l : dp.resource.getSpec().listeners) {
      if (ref.listenerName == null || ref.listenerName.equals(l.name)) {
        listeners.add(l);
      }
    }
    if (listeners.isEmpty()) {
      return new Problem(
          Reasons.NO_MATCHING_PARENT,
          "DataPlane " + dpId + " has no listener named " + ref.listenerName);
    }
    GatewayRouteSpec spec = route.resource.getSpec();
    boolean attached = false;
    for (Listener listener : listeners) {
      List<String> hosts = Hostnames.intersect(listener.hostname, spec.hostnames);
      if (hosts.isEmpty()) {
        continue;
      }
      attached = true;
      if (!seen.add(dpId + "|" + listener.name)) {
        continue; // two parentRefs naming the same listener claim nothing twice
      }
      for (String host : hosts) {
        claim(ctx, route, dpId, listener.name, host);
      }
    }
    if (!attached) {
      return new Problem(
          Reasons.NO_MATCHING_LISTENER_HOSTNAME,
          "no hostname of the route intersects the hostnames of DataPlane "
              + dpId
              + "'s listeners");
    }
    return null;
  }

  private static void claim(
      CompilationContext ctx, RouteState route, String dpId, String listener, String host) {
    List<RouteRule> rules = route.rules();
    for (int r = 0; r < rules.size(); r++) {
      List<RouteMatch> matches = Matches.of(rules.get(r));
      for (int m = 0; m < matches.size(); m++) {
        ctx.claims.add(
            new Claim(route, dpId, listener, host, r, m, Matches.translate(matches.get(m))));
      }
    }
  }

  private static boolean admits(CompilationContext ctx, DataPlaneState dp, String namespace) {
    AllowedRoutes allowed = dp.resource.getSpec().allowedRoutes;
    AllowedRoutes.From from =
        allowed == null || allowed.from == null ? AllowedRoutes.From.Same : allowed.from;
    return switch (from) {
      case All -> true;
      case Same -> dp.key.namespace().equals(namespace);
      case Selector -> LabelSelectors.matches(allowed.selector, ctx.labelsOf(namespace));
    };
  }
}
