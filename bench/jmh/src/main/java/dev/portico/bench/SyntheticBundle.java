package dev.portico.bench;

import dev.portico.api.dataplane.AllowedRoutes;
import dev.portico.api.dataplane.DataPlane;
import dev.portico.api.dataplane.DataPlaneSpec;
import dev.portico.api.dataplane.Listener;
import dev.portico.api.ratelimit.PolicyTargetRef;
import dev.portico.api.ratelimit.RateLimit;
import dev.portico.api.ratelimit.RateLimitKey;
import dev.portico.api.ratelimit.RateLimitPolicy;
import dev.portico.api.ratelimit.RateLimitPolicySpec;
import dev.portico.api.route.BackendRef;
import dev.portico.api.route.GatewayRoute;
import dev.portico.api.route.GatewayRouteSpec;
import dev.portico.api.route.HeaderMatch;
import dev.portico.api.route.HeaderModifier;
import dev.portico.api.route.HeaderValue;
import dev.portico.api.route.ParentRef;
import dev.portico.api.route.PathMatch;
import dev.portico.api.route.RetryPolicy;
import dev.portico.api.route.RouteFilter;
import dev.portico.api.route.RouteMatch;
import dev.portico.api.route.RouteRule;
import dev.portico.api.route.RuleTimeouts;
import dev.portico.api.route.StringMatchType;
import dev.portico.compiler.ResourceBundle;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrantFrom;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrantFromBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrantSpec;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrantTo;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrantToBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A deterministic, cluster-like input for the compiler benchmark: two DataPlanes, 50 team
 * namespaces, and {@code n} GatewayRoutes with their Services, a few RateLimitPolicies, one
 * cross-namespace backend under a ReferenceGrant and about 1% deliberately conflicting routes.
 *
 * <p>Everything scales with {@code n} (hostnames too: four routes share an app hostname), so the
 * per-route shape is the same at every size and cost should grow linearly.
 */
final class SyntheticBundle {
  static final int NAMESPACES = 50;
  static final String SYSTEM_NS = "portico-system";
  static final String PLATFORM_NS = "platform";
  static final String PUBLIC = "public";
  static final String INTERNAL = "internal";

  private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  private SyntheticBundle() {}

  static ResourceBundle build(int n) {
    List<Namespace> namespaces = new ArrayList<>();
    List<Service> services = new ArrayList<>();
    List<GatewayRoute> routes = new ArrayList<>(n);
    List<RateLimitPolicy> policies = new ArrayList<>();

    for (String ns : List.of(SYSTEM_NS, PLATFORM_NS)) {
      namespaces.add(namespace(ns, namespaces.size()));
    }
    for (int t = 0; t < NAMESPACES; t++) {
      namespaces.add(namespace(team(t), namespaces.size()));
    }
    List<DataPlane> dataPlanes = List.of(dataPlane(PUBLIC, 0), dataPlane(INTERNAL, 1));
    services.add(service(PLATFORM_NS, "auth", 0));
    policies.add(dataPlanePolicy());

    for (int i = 0; i < n; i++) {
      routes.add(route(i));
      services.add(service(team(i), svc(i), i));
      if (i % 8 == 0) {
        services.add(service(team(i), svc(i) + "-canary", i));
      }
      if (i % 20 == 0) {
        policies.add(routePolicy(i));
      }
    }
    return new ResourceBundle(
        dataPlanes,
        routes,
        policies,
        services,
        namespaces,
        List.of(platformGrant()),
        List.of(),
        List.of());
  }

  /** Routes where {@code i % 100 == 99} copy a match, hostnames and parents of route i-1. */
  static boolean conflicting(int i) {
    return i % 100 == 99;
  }

  static String team(int i) {
    return String.format("team-%02d", i % NAMESPACES);
  }

  private static String svc(int i) {
    return String.format("svc-%05d", i);
  }

  private static GatewayRoute route(int i) {
    int owner = conflicting(i) ? i - 1 : i;
    GatewayRouteSpec spec = new GatewayRouteSpec();
    spec.parentRefs = parents(owner);
    spec.hostnames = hostnames(owner);
    spec.rules.add(apiRule(i, owner));
    spec.rules.add(v2Rule(i));
    if (i % 3 == 0) {
      spec.rules.add(itemsRule(i));
    }
    GatewayRoute route = new GatewayRoute();
    route.setMetadata(meta(team(i), String.format("route-%05d", i), i));
    route.setSpec(spec);
    return route;
  }

  private static List<ParentRef> parents(int i) {
    List<ParentRef> refs = new ArrayList<>();
    if (i % 5 != 0) {
      refs.add(new ParentRef(PUBLIC, SYSTEM_NS, null));
    }
    if (i % 5 == 0 || i % 10 == 1) {
      refs.add(new ParentRef(INTERNAL, SYSTEM_NS, "http"));
    }
    return refs;
  }

  /** One app hostname shared by 4 routes; a third also on api.example.com, some on a wildcard. */
  private static List<String> hostnames(int i) {
    List<String> hosts = new ArrayList<>();
    hosts.add(String.format("app-%04d.example.com", i / 4));
    if (i % 3 == 0) {
      hosts.add("api.example.com");
    } else if (i % 7 == 0) {
      hosts.add("*." + team(i) + ".example.com");
    }
    return hosts;
  }

  /** Prefix and health check; {@code owner} != i makes the prefix collide with an older route. */
  private static RouteRule apiRule(int i, int owner) {
    RouteRule rule = new RouteRule();
    rule.name = "api";
    RouteMatch prefix = match(PathMatch.Type.PathPrefix, "/" + svc(owner) + "/api");
    if (owner % 6 == 0) {
      prefix.method = RouteMatch.HttpMethod.GET;
    }
    rule.matches.add(prefix);
    rule.matches.add(match(PathMatch.Type.Exact, "/" + svc(i) + "/healthz"));
    if (i % 10 == 0) {
      HeaderModifier edits = new HeaderModifier();
      edits.set.add(header("x-team", team(i)));
      edits.remove.add("x-debug");
      RouteFilter filter = new RouteFilter();
      filter.type = RouteFilter.Type.RequestHeaderModifier;
      filter.requestHeaderModifier = edits;
      rule.filters.add(filter);
    }
    if (i % 5 == 0) {
      rule.timeouts = new RuleTimeouts();
      rule.timeouts.request = "15s";
      rule.timeouts.backendRequest = "5s";
    }
    rule.backends.add(backend(null, svc(i), 8080, 1));
    return rule;
  }

  /** Header-gated v2 API, some with a regex header, some with a canary split. */
  private static RouteRule v2Rule(int i) {
    RouteRule rule = new RouteRule();
    rule.name = "v2";
    RouteMatch m = match(PathMatch.Type.PathPrefix, "/" + svc(i) + "/v2");
    m.headers.add(headerMatch(StringMatchType.Exact, "x-api-version", "2"));
    if (i % 4 == 0) {
      m.headers.add(
          headerMatch(StringMatchType.RegularExpression, "x-client", "^(ios|android)-[0-9.]+$"));
    }
    rule.matches.add(m);
    if (i % 8 == 0) {
      rule.backends.add(backend(null, svc(i), 8080, 90));
      rule.backends.add(backend(null, svc(i) + "-canary", 8080, 10));
    } else {
      rule.backends.add(backend(null, svc(i), 8080, 1));
    }
    if (i % 12 == 0) {
      rule.retry = new RetryPolicy();
      rule.retry.attempts = 2;
      rule.retry.retryOn = List.of(RetryPolicy.RetryOn.ConnectFailure, RetryPolicy.RetryOn.Reset);
    }
    return rule;
  }

  /** Items: a regular expression on every other one, a POST here and there. */
  private static RouteRule itemsRule(int i) {
    RouteRule rule = new RouteRule();
    rule.name = "items";
    RouteMatch m =
        i % 6 == 0
            ? match(PathMatch.Type.RegularExpression, "/" + svc(i) + "/items/[0-9]+")
            : match(PathMatch.Type.Exact, "/" + svc(i) + "/items");
    if (i % 9 == 0) {
      m.method = RouteMatch.HttpMethod.POST;
    }
    rule.matches.add(m);
    if (i % 15 == 0) {
      HeaderModifier edits = new HeaderModifier();
      edits.add.add(header("cache-control", "no-store"));
      RouteFilter filter = new RouteFilter();
      filter.type = RouteFilter.Type.ResponseHeaderModifier;
      filter.responseHeaderModifier = edits;
      rule.filters.add(filter);
    }
    rule.backends.add(
        i % 25 == 0 ? backend(PLATFORM_NS, "auth", 8080, 1) : backend(null, svc(i), 9090, 1));
    return rule;
  }

  private static RouteMatch match(PathMatch.Type type, String value) {
    RouteMatch m = new RouteMatch();
    m.path = new PathMatch(type, value);
    return m;
  }

  private static HeaderMatch headerMatch(StringMatchType type, String name, String value) {
    HeaderMatch h = new HeaderMatch();
    h.type = type;
    h.name = name;
    h.value = value;
    return h;
  }

  private static HeaderValue header(String name, String value) {
    HeaderValue h = new HeaderValue();
    h.name = name;
    h.value = value;
    return h;
  }

  private static BackendRef backend(String namespace, String name, int port, int weight) {
    BackendRef b = new BackendRef();
    b.namespace = namespace;
    b.name = name;
    b.port = port;
    b.weight = weight;
    return b;
  }

  private static DataPlane dataPlane(String name, int i) {
    Listener http = new Listener();
    http.name = "http";
    http.port = 80;
    http.protocol = Listener.Protocol.HTTP;
    AllowedRoutes allowed = new AllowedRoutes();
    allowed.from = AllowedRoutes.From.All;
    DataPlaneSpec spec = new DataPlaneSpec();
    spec.replicas = 2;
    spec.listeners.add(http);
    spec.allowedRoutes = allowed;
    DataPlane dp = new DataPlane();
    dp.setMetadata(meta(SYSTEM_NS, name, i));
    dp.setSpec(spec);
    return dp;
  }

  /** Per-client limit on the route; every other one also a global per-API-key limit on a rule. */
  private static RateLimitPolicy routePolicy(int i) {
    PolicyTargetRef target = new PolicyTargetRef();
    target.kind = PolicyTargetRef.Kind.GatewayRoute;
    target.name = String.format("route-%05d", i);
    RateLimitPolicySpec spec = new RateLimitPolicySpec();
    spec.targetRef = target;
    spec.limits.add(
        limit("per-client", 100, RateLimit.Window.Second, RateLimitKey.Type.ClientAddress));
    if (i % 40 == 0) {
      target.ruleName = "api";
      RateLimit perKey = limit("per-key", 1000, RateLimit.Window.Minute, RateLimitKey.Type.Header);
      perKey.key.header = "x-api-key";
      perKey.scope = RateLimit.Scope.Global;
      perKey.failurePolicy = RateLimit.FailurePolicy.Open;
      spec.limits.add(perKey);
    }
    RateLimitPolicy policy = new RateLimitPolicy();
    policy.setMetadata(meta(team(i), String.format("rl-route-%05d", i), i));
    policy.setSpec(spec);
    return policy;
  }

  private static RateLimitPolicy dataPlanePolicy() {
    PolicyTargetRef target = new PolicyTargetRef();
    target.kind = PolicyTargetRef.Kind.DataPlane;
    target.name = PUBLIC;
    RateLimitPolicySpec spec = new RateLimitPolicySpec();
    spec.targetRef = target;
    spec.limits.add(
        limit("per-client", 10_000, RateLimit.Window.Minute, RateLimitKey.Type.ClientAddress));
    RateLimitPolicy policy = new RateLimitPolicy();
    policy.setMetadata(meta(SYSTEM_NS, "public-per-client", 0));
    policy.setSpec(spec);
    return policy;
  }

  private static RateLimit limit(
      String name, long requests, RateLimit.Window window, RateLimitKey.Type key) {
    RateLimit limit = new RateLimit();
    limit.name = name;
    limit.requests = requests;
    limit.window = window;
    limit.key = new RateLimitKey();
    limit.key.type = key;
    return limit;
  }

  private static Service service(String ns, String name, int i) {
    ServicePort http = new ServicePort();
    http.setName("http");
    http.setPort(8080);
    http.setTargetPort(new IntOrString(8080));
    http.setProtocol("TCP");
    ServicePort grpc = new ServicePort();
    grpc.setName("grpc");
    grpc.setPort(9090);
    grpc.setTargetPort(new IntOrString("grpc"));
    grpc.setProtocol("TCP");
    ServiceSpec spec = new ServiceSpec();
    spec.setPorts(List.of(http, grpc));
    spec.setSelector(Map.of("app", name));
    Service service = new Service();
    service.setMetadata(meta(ns, name, i));
    service.setSpec(spec);
    return service;
  }

  private static Namespace namespace(String name, int i) {
    Namespace ns = new Namespace();
    ns.setMetadata(meta(null, name, i));
    ns.getMetadata().setLabels(Map.of("kubernetes.io/metadata.name", name, "env", "prod"));
    return ns;
  }

  /** Lets every team namespace send GatewayRoute traffic to the shared auth Service. */
  private static ReferenceGrant platformGrant() {
    List<ReferenceGrantFrom> from = new ArrayList<>();
    for (int t = 0; t < NAMESPACES; t++) {
      from.add(
          new ReferenceGrantFromBuilder()
              .withGroup("portico.dev")
              .withKind(GatewayRoute.KIND)
              .withNamespace(team(t))
              .build());
    }
    ReferenceGrantTo to = new ReferenceGrantToBuilder().withGroup("").withKind("Service").build();
    ReferenceGrantSpec spec = new ReferenceGrantSpec(from, List.of(to));
    ReferenceGrant grant = new ReferenceGrant();
    grant.setMetadata(meta(PLATFORM_NS, "gateway-routes-to-auth", 0));
    grant.setSpec(spec);
    return grant;
  }

  private static ObjectMeta meta(String ns, String name, int i) {
    ObjectMeta meta = new ObjectMeta();
    meta.setNamespace(ns);
    meta.setName(name);
    meta.setCreationTimestamp(EPOCH.plusSeconds(i).toString());
    meta.setGeneration(1L + i % 3);
    return meta;
  }
}
