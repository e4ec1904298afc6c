package dev.portico.compiler;

import dev.portico.api.dataplane.DataPlane;
import dev.portico.api.dataplane.Listener;
import dev.portico.snapshot.RedisConfig;
import dev.portico.snapshot.SecurityConfig;
import dev.portico.snapshot.TlsCertificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/** Working state of one DataPlane during a compile. */
final class DataPlaneState {
  final DataPlane resource;
  final ObjectKey key;

  /** {@code namespace/name}, made once: passes ask for it per route. */
  private final String id;

  final List<Problem> problems = new ArrayList<>();
  final SortedSet<String> rateLimits = new TreeSet<>();

  /** Filled by the certificate pass: unresolved certificate references. */
  final List<Problem> refProblems = new ArrayList<>();

  /**
   * Filled by the certificate pass: certificates by listener name, for the HTTPS listeners served.
   */
  final Map<String, List<TlsCertificate>> certificates = new HashMap<>();

  /** Set by the security pass: the default security of the DataPlane's routes, or null. */
  SecurityConfig security;

  /** Set by the Redis pass: the resolved store, or null. */
  RedisConfig redis;

  /** Set by the Redis pass when {@code spec.redis} is given but unusable: why, for policies. */
  String redisProblem;

  /** Set by the certificate pass: some listener names certificate Secrets. */
  boolean hasCertificateRefs;

  DataPlaneState(DataPlane resource) {
    this.resource = resource;
    this.key = ObjectKey.of(DataPlane.KIND, resource);
    this.id = key.namespacedName();
  }

  boolean accepted() {
    return problems.isEmpty();
  }

  /** HTTPS listeners are served only with at least one usable certificate. */
  boolean serves(Listener listener) {
    return listener.tls == null || certificates.containsKey(listener.name);
  }

  String id() {
    return id;
  }
}
