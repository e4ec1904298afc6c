package dev.portico.compiler;

import dev.portico.api.dataplane.DataPlane;
import dev.portico.api.ratelimit.RateLimitPolicy;
import dev.portico.api.route.GatewayRoute;
import dev.portico.snapshot.AuthSecretConfig;
import dev.portico.snapshot.RateLimitConfig;
import dev.portico.snapshot.Snapshot;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The working state of one compile, shared by the passes in order. Everything is indexed by {@code
 * namespace/name} in sorted maps so that iteration order never depends on input order.
 */
final class CompilationContext {
  final SortedMap<String, DataPlaneState> dataPlanes;
  final SortedMap<String, RouteState> routes = new TreeMap<>();
  final SortedMap<String, PolicyState> policies;
  final Map<String, Service> services;
  final Map<String, Map<String, String>> namespaceLabels;
  final Map<String, List<ReferenceGrant>> grantsByNamespace;
  final Map<String, TlsSecret> tlsSecrets;
  final Map<String, CredentialSecret> credentialSecrets;

  /** Filled by the attachment pass, thinned by the conflict pass. */
  final List<Claim> claims = new ArrayList<>();

  /**
   * Filled by the conflict pass: every claim (before thinning) by slot. Kept with the compile's
   * context for the next {@link RouteDeltaCompile}, which updates it.
   */
  Map<String, List<Claim>> claimsBySlot = new HashMap<>();

  /** Filled by the rate-limit pass: every limit of every accepted policy, by id. */
  final SortedMap<String, RateLimitConfig> rateLimits;

  /** Filled by the security pass: resolved key material by ref. */
  final SortedMap<String, AuthSecretConfig> authSecrets;

  /** Filled by the snapshot assembly pass. */
  final SortedMap<String, Snapshot> snapshots = new TreeMap<>();

  CompilationContext(ResourceBundle bundle, RouteMemo memo) {
    dataPlanes = new TreeMap<>();
    policies = new TreeMap<>();
    services = new HashMap<>();
    namespaceLabels = new HashMap<>();
    grantsByNamespace = new HashMap<>();
    tlsSecrets = new HashMap<>();
    credentialSecrets = new HashMap<>();
    rateLimits = new TreeMap<>();
    authSecrets = new TreeMap<>();
    for (DataPlane dp : bundle.dataPlanes()) {
      put(dataPlanes, dp, new DataPlaneState(dp));
    }
    for (GatewayRoute route : bundle.routes()) {
      RouteState state = new RouteState(route, memo.lookup(route));
      routes.putIfAbsent(state.id(), state); // duplicates (files only) keep the first
    }
    for (RateLimitPolicy policy : bundle.rateLimitPolicies()) {
      put(policies, policy, new PolicyState(policy));
    }
    for (Service service : bundle.services()) {
      services.put(id(service), service);
    }
    for (Namespace ns : bundle.namespaces()) {
      Map<String, String> labels = ns.getMetadata().getLabels();
      namespaceLabels.put(ns.getMetadata().getName(), labels == null ? Map.of() : labels);
    }
    for (TlsSecret secret : bundle.tlsSecrets()) {
      tlsSecrets.putIfAbsent(secret.id(), secret);
    }
    for (CredentialSecret secret : bundle.credentialSecrets()) {
      credentialSecrets.putIfAbsent(secret.id(), secret);
    }
    for (ReferenceGrant grant : bundle.referenceGrants()) {
      grantsByNamespace
          .computeIfAbsent(grant.getMetadata().getNamespace(), n -> new ArrayList<>())
          .add(grant);
    }
  }

  /**
   * A context for compiling a few routes against the objects of an earlier compile's context
   * (shared, read only): what {@link RouteDeltaCompile} runs the route-local passes in.
   */
  CompilationContext(CompilationContext environment, List<RouteState> routes) {
    dataPlanes = environment.dataPlanes;
    policies = environment.policies;
    services = environment.services;
    namespaceLabels = environment.namespaceLabels;
    grantsByNamespace = environment.grantsByNamespace;
    tlsSecrets = environment.tlsSecrets;
    credentialSecrets = environment.credentialSecrets;
    rateLimits = environment.rateLimits;
    authSecrets = environment.authSecrets;
    for (RouteState route : routes) {
      this.routes.put(route.id(), route);
    }
  }

  /**
   * Labels of a namespace. The API server adds {@code kubernetes.io/metadata.name} to every
   * namespace; it is added here too so selectors on it work in standalone mode.
   */
  Map<String, String> labelsOf(String namespace) {
    Map<String, String> labels = new HashMap<>(namespaceLabels.getOrDefault(namespace, Map.of()));
    labels.putIfAbsent("kubernetes.io/metadata.name", namespace);
    return labels;
  }

  static String id(HasMetadata object) {
    String ns = object.getMetadata().getNamespace();
    return (ns == null ? "" : ns) + "/" + object.getMetadata().getName();
  }

  /** Duplicate names (possible only in files, never in a cluster) keep the first one. */
  private static <T> void put(SortedMap<String, T> map, HasMetadata object, T state) {
    map.putIfAbsent(id(object), state);
  }
}
