package dev.portico.compiler;

import dev.portico.api.common.Conditions.Reasons;
import dev.portico.api.route.BackendRef;
import dev.portico.api.route.Compose;
import dev.portico.api.route.GatewayRoute;
import dev.portico.api.route.PartBackend;
import dev.portico.api.route.RouteRule;
import dev.portico.snapshot.BackendConfig;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrantFrom;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrantTo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Resolves each rule's backends, and each composition part's backend, to Service ports. A backend
 * in another namespace needs a ReferenceGrant there. Unresolved backends are left out and reported
 * (ResolvedRefs=False); a rule left with none answers 503 rather than falling through to another
 * route.
 */
final class BackendRefPass implements CompilerPass {
  static final String GROUP = "portico.dev";

  @Override
  public void apply(CompilationContext ctx) {
    // Invalid routes are resolved too: their ResolvedRefs must not claim what was never checked.
    for (RouteState route : ctx.routes.values()) {
      if (route.restored()) {
        continue;
      }
      List<RouteRule> rules = route.rules();
      for (int r = 0; r < rules.size(); r++) {
        resolveParts(ctx, route, r, rules.get(r).compose);
        List<BackendRef> refs = rules.get(r).backends;
        if (refs == null || refs.isEmpty()) {
          continue;
        }
        List<BackendConfig> resolved = new ArrayList<>();
        for (int b = 0; b < refs.size(); b++) {
          BackendConfig config =
              resolve(ctx, route, refs.get(b), "spec.rules[" + r + "].backends[" + b + "]");
          if (config != null) {
            resolved.add(config);
          }
        }
        route.backends.put(r, resolved);
      }
    }
  }

  /**
   * A composition's parts resolve like backends; an unresolved part keeps its place (null) and
   * fails at request time as a backend without endpoints does.
   */
  private void resolveParts(CompilationContext ctx, RouteState route, int r, Compose compose) {
    if (compose == null || compose.parts == null || compose.parts.isEmpty()) {
      return;
    }
    List<BackendConfig> resolved = new ArrayList<>();
    for (int p = 0; p < compose.parts.size(); p++) {
      PartBackend b = compose.parts.get(p).backend;
      String at = "spec.rules[" + r + "].compose.parts[" + p + "].backend";
      resolved.add(
          b == null || b.name == null || b.port == null
              ? null
              : resolve(ctx, route, b.name, b.namespace, b.port, 1, at));
    }
    route.partBackends.put(r, Collections.unmodifiableList(resolved));
  }

  private BackendConfig resolve(
      CompilationContext ctx, RouteState route, BackendRef ref, String at) {
    return resolve(ctx, route, ref.name, ref.namespace, ref.port, RuleChecks.weight(ref), at);
  }

  private BackendConfig resolve(
      CompilationContext ctx,
      RouteState route,
      String name,
      String namespace,
      Integer portNumber,
      int weight,
      String at) {
    String ns = namespace == null ? route.namespace() : namespace;
    String id = ns + "/" + name;
    if (!ns.equals(route.namespace()) && !granted(ctx, route.namespace(), ns, name)) {
      route.refProblems.add(
          new Problem(
              Reasons.REF_NOT_PERMITTED,
              at
                  + ": Service "
                  + id
                  + " is in another namespace and no ReferenceGrant in "
                  + ns
                  + " allows GatewayRoutes from "
                  + route.namespace()));
      return null;
    }
    Service service = ctx.services.get(id);
    if (service == null) {
      route.refProblems.add(
          new Problem(Reasons.BACKEND_NOT_FOUND, at + ": Service " + id + " does not exist"));
      return null;
    }
    List<ServicePort> ports =
        service.getSpec() == null || service.getSpec().getPorts() == null
            ? List.of()
            : service.getSpec().getPorts();
    for (ServicePort port : ports) {
      if (port.getPort() != null && port.getPort().equals(portNumber)) {
        String portName = port.getName() == null ? "" : port.getName();
        return new BackendConfig(id, portNumber, portName, targetPort(port), weight);
      }
    }
    route.refProblems.add(
        new Problem(
            Reasons.BACKEND_NOT_FOUND,
            at + ": Service " + id + " has no port " + portNumber + " (spec.ports[].port)"));
    return null;
  }

  private static String targetPort(ServicePort port) {
    IntOrString target = port.getTargetPort();
    if (target == null) {
      return String.valueOf(port.getPort());
    }
    return target.getStrVal() != null ? target.getStrVal() : String.valueOf(target.getIntVal());
  }

  private static boolean granted(
      CompilationContext ctx, String fromNamespace, String toNamespace, String serviceName) {
    for (ReferenceGrant grant : ctx.grantsByNamespace.getOrDefault(toNamespace, List.of())) {
      if (grant.getSpec() == null) {
        continue;
      }
      boolean fromOk = false;
      for (ReferenceGrantFrom from : nullSafe(grant.getSpec().getFrom())) {
        fromOk |=
            GROUP.equals(from.getGroup())
                && GatewayRoute.KIND.equals(from.getKind())
                && fromNamespace.equals(from.getNamespace());
      }
      if (!fromOk) {
        continue;
      }
      for (ReferenceGrantTo to : nullSafe(grant.getSpec().getTo())) {
        boolean core = to.getGroup() == null || to.getGroup().isEmpty();
        boolean nameOk = to.getName() == null || to.getName().equals(serviceName);
        if (core && "Service".equals(to.getKind()) && nameOk) {
          return true;
        }
      }
    }
    return false;
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
