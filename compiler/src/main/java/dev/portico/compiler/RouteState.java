package dev.portico.compiler;

import dev.portico.api.route.GatewayRoute;
import dev.portico.api.route.RouteRule;
import dev.portico.snapshot.BackendConfig;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/** Working state of one GatewayRoute during a compile. */
final class RouteState {
  final GatewayRoute resource;
  final ObjectKey key;
  private final String id;
  final Instant created;

  /** Problems that reject the whole route (an invalid spec). */
  final List<Problem> invalid;

  /** One outcome per spec.parentRefs entry, in spec order; filled by the attachment pass. */
  final List<Problem> parentOutcomes;

  /** Backend problems (ResolvedRefs=False); the rest of the route still works. */
  final List<Problem> refProblems;

  /**
   * Filled by the security pass on every compile (Secrets change without the route): unresolved
   * Secrets of the route's security blocks, for ResolvedRefs.
   */
  final List<Problem> securityProblems = new ArrayList<>();

  /** Matches lost to older routes, described for the Conflicted message. */
  final Set<String> conflicts = new LinkedHashSet<>();

  final Map<Integer, List<BackendConfig>> backends;

  /** A composing rule's part backends in part order, null where one did not resolve. */
  final Map<Integer, List<BackendConfig>> partBackends;

  final Map<Integer, SortedSet<String>> rateLimits = new HashMap<>();
  final SortedSet<String> dataPlanes = new TreeSet<>();

  /**
   * The previous compile's route-local results when this very object was compiled then (spec
   * checks, attachment and backend passes skip the route), else null until {@link RouteMemo}
   * records this compile's.
   */
  RouteMemo.Entry memo;

  /** Claims restored from {@link #memo}; the attachment pass adds them in route order. */
  final List<Claim> restoredClaims = new ArrayList<>();

  RouteState(GatewayRoute resource, RouteMemo.Entry memo) {
    this.resource = resource;
    this.memo = memo;
    if (memo == null) {
      this.invalid = new ArrayList<>();
      this.parentOutcomes = new ArrayList<>();
      this.refProblems = new ArrayList<>();
      this.backends = new HashMap<>();
      this.partBackends = new HashMap<>();
      this.key = ObjectKey.of(GatewayRoute.KIND, resource);
      this.id = key.namespacedName();
      this.ruleIds = new String[rules().size()];
      this.created = parseTime(resource.getMetadata().getCreationTimestamp());
      return;
    }
    this.key = memo.key;
    this.id = memo.id;
    this.ruleIds = memo.ruleIds;
    this.created = memo.created;
    // The route-local passes skip a restored route, so its results are the memo's, unchanged and
    // shared rather than copied for each of thousands of routes on every compile.
    this.invalid = memo.invalid;
    this.parentOutcomes = memo.parentOutcomes;
    this.refProblems = memo.refProblems;
    this.backends = memo.backends;
    this.partBackends = memo.partBackends;
    for (RouteMemo.ClaimShape c : memo.claims) {
      restoredClaims.add(
          new Claim(
              this,
              c.dataPlane(),
              c.listener(),
              c.hostname(),
              c.ruleIndex(),
              c.matchIndex(),
              c.match(),
              c.matchKey(),
              c.slot()));
    }
  }

  /** True when the route-local passes have nothing to do: the previous compile's results hold. */
  boolean restored() {
    return memo != null;
  }

  boolean valid() {
    return invalid.isEmpty();
  }

  /** {@code namespace/name}; computed once, precedence sorts compare it often. */
  String id() {
    return id;
  }

  String namespace() {
    return key.namespace();
  }

  List<RouteRule> rules() {
    List<RouteRule> rules = resource.getSpec() == null ? null : resource.getSpec().rules;
    return rules == null ? List.of() : rules;
  }

  /** Rule ids, made on first use and kept with the route's memo entry. */
  final String[] ruleIds;

  /** Rule ids are {@code namespace/name/index}: stable while the rule keeps its position. */
  String ruleId(int ruleIndex) {
    if (ruleIndex >= ruleIds.length) {
      return id() + "/" + ruleIndex;
    }
    String id = ruleIds[ruleIndex];
    if (id == null) {
      id = id() + "/" + ruleIndex;
      ruleIds[ruleIndex] = id;
    }
    return id;
  }

  SortedSet<String> rateLimitsOf(int ruleIndex) {
    return rateLimits.computeIfAbsent(ruleIndex, i -> new TreeSet<>());
  }

  /** Objects without a timestamp (files in standalone mode) count as the newest. */
  private static Instant parseTime(String timestamp) {
    if (timestamp == null || timestamp.isBlank()) {
      return Instant.MAX;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return Instant.MAX;
    }
  }
}
