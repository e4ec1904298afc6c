package dev.portico.compiler;

import dev.portico.api.dataplane.DataPlane;
import dev.portico.api.route.GatewayRoute;
import dev.portico.snapshot.BackendConfig;
import dev.portico.snapshot.MatchConfig;
import dev.portico.snapshot.RuleConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;

/**
 * What the previous compile worked out for each route on its own (spec checks, attachment claims,
 * backend resolution, translated rules), reused while neither the route object nor its environment
 * (DataPlane specs, Namespace labels, Services, ReferenceGrants) changed. Informer caches hand out
 * the same route instance until the route changes, so identity is the route's change test. A
 * one-route edit among 5,000 then costs the conflict, assembly and verdict passes, not every
 * route's translation.
 *
 * <p>Only an optimisation: the result is the one a fresh compile gives (tested by compiling edit
 * sequences both ways), so the compiler stays a function of its input.
 */
final class RouteMemo {
  /** A route's claim without the route: re-bound to each compile's {@link RouteState}. */
  record ClaimShape(
      String dataPlane,
      String listener,
      String hostname,
      int ruleIndex,
      int matchIndex,
      MatchConfig match,
      String matchKey,
      String slot) {}

  /** A translated rule and the rate-limit ids it was translated with (policies may change). */
  record Rule(List<String> rateLimits, RuleConfig config) {}

  /** Route-local results, fixed once recorded; rules and the verdict are memoized on demand. */
  static final class Entry {
    final GatewayRoute resource;
    final ObjectKey key;
    final String id;
    final String[] ruleIds;
    final Instant created;
    final List<Problem> invalid;
    final List<Problem> parentOutcomes;
    final List<ClaimShape> claims;
    final Map<Integer, List<BackendConfig>> backends;
    final Map<Integer, List<BackendConfig>> partBackends;
    final List<Problem> refProblems;
    final Map<Integer, Rule> rules = new HashMap<>();

    /** The latest {@link RouteMemo#mark} round that found this entry's route object. */
    long seen;

    /** The last verdict and what it depended on beyond the route itself. */
    Verdict verdict;

    private List<String> verdictConflicts;
    private List<String> verdictDataPlanes;
    private List<Problem> verdictSecurityProblems;

    /** Whether the route's conflicts, DataPlanes and Secret problems are the last verdict's. */
    boolean verdictInputsAre(RouteState route) {
      return sameElements(verdictConflicts, route.conflicts)
          && sameElements(verdictDataPlanes, route.dataPlanes)
          && verdictSecurityProblems.equals(route.securityProblems);
    }

    void rememberVerdict(RouteState route, Verdict verdict) {
      this.verdict = verdict;
      this.verdictConflicts = List.copyOf(route.conflicts);
      this.verdictDataPlanes = List.copyOf(route.dataPlanes);
      this.verdictSecurityProblems = List.copyOf(route.securityProblems);
    }

    Entry(RouteState route, List<ClaimShape> claims) {
      this.resource = route.resource;
      this.key = route.key;
      this.id = route.id();
      this.ruleIds = route.ruleIds; // filled on use; the route object, hence its ids, is fixed
      this.created = route.created;
      this.invalid = List.copyOf(route.invalid);
      // Holds nulls (attached), which List.copyOf refuses.
      this.parentOutcomes = Collections.unmodifiableList(new ArrayList<>(route.parentOutcomes));
      this.claims = List.copyOf(claims);
      this.backends = Map.copyOf(route.backends);
      this.partBackends = Map.copyOf(route.partBackends);
      this.refProblems = List.copyOf(route.refProblems);
    }
  }

  private Set<Object> environment = Set.of();
  private Map<GatewayRoute, Entry> entries = new IdentityHashMap<>();
  private Map<String, Entry> byId = new HashMap<>();

  /**
   * Starts a compile: forgets everything if the environment changed.
   *
   * @return whether the environment is the previous compile's
   */
  boolean begin(ResourceBundle bundle) {
    Set<Object> current = environment(bundle);
    if (!current.equals(environment)) {
      entries = new IdentityHashMap<>();
      byId = new HashMap<>();
      environment = current;
      return false;
    }
    return true;
  }

  private long round;

  /** Starts a round of {@link #mark}: entries not marked in it are those of routes gone. */
  long newRound() {
    return ++round;
  }

  /**
   * Marks the entry of this exact route object as seen in the round, if the previous compile had
   * one; returns whether it had.
   */
  boolean mark(GatewayRoute route, long round) {
    Entry entry = entries.get(route);
    if (entry == null) {
      return false;
    }
    entry.seen = round;
    return true;
  }

  /** The previous compile's results for the route {@code namespace/name}, or null. */
  Entry byId(String id) {
    return byId.get(id);
  }

  /** How many routes the previous compile had results for. */
  int size() {
    return entries.size();
  }

  Collection<Entry> entries() {
    return entries.values();
  }

  /** The previous compile's results for this exact route object, or null. */
  Entry lookup(GatewayRoute route) {
    return entries.get(route);
  }

  /**
   * Records the route-local results of this compile (after attachment and backend resolution,
   * before conflicts thin the claims) and drops entries of routes that are gone or changed.
   */
  void record(CompilationContext ctx) {
    prepare(ctx);
    Map<GatewayRoute, Entry> next = new IdentityHashMap<>();
    Map<String, Entry> nextById = new HashMap<>();
    for (RouteState route : ctx.routes.values()) {
      next.put(route.resource, route.memo);
      nextById.put(route.id(), route.memo);
    }
    entries = next;
    byId = nextById;
  }

  /**
   * Gives the routes of the context that have no entry yet theirs (after the route-local passes),
   * without recording them: {@link #record} does for a whole compile, {@link #replace} once a delta
   * is known to apply.
   */
  static void prepare(CompilationContext ctx) {
    Map<RouteState, List<ClaimShape>> claims = shapes(ctx.claims);
    for (RouteState route : ctx.routes.values()) {
      if (route.memo == null) {
        route.memo = new Entry(route, claims.getOrDefault(route, List.of()));
      }
    }
  }

  /**
   * Records the results of a route delta: the entries of routes that are gone or changed leave, the
   * prepared ones of the delta's context come in.
   */
  void replace(Collection<Entry> gone, CompilationContext ctx) {
    for (Entry entry : gone) {
      entries.remove(entry.resource);
      byId.remove(entry.id);
    }
    for (RouteState route : ctx.routes.values()) {
      entries.put(route.resource, route.memo);
      byId.put(route.id(), route.memo);
    }
  }

  /** The claims of the routes without results yet, by route, as their entries keep them. */
  private static Map<RouteState, List<ClaimShape>> shapes(List<Claim> all) {
    Map<RouteState, List<ClaimShape>> claims = new IdentityHashMap<>();
    for (Claim c : all) {
      if (c.route.memo == null) {
        claims
            .computeIfAbsent(c.route, r -> new ArrayList<>())
            .add(
                new ClaimShape(
                    c.dataPlane,
                    c.listener,
                    c.hostname,
                    c.ruleIndex,
                    c.matchIndex,
                    c.match,
                    c.matchKey,
                    c.slot));
      }
    }
    return claims;
  }

  /** The rule's snapshot form, translated again only when the route or its limits changed. */
  static RuleConfig rule(RouteState route, int index) {
    Set<String> limits = route.rateLimits.getOrDefault(index, NO_LIMITS);
    Rule cached = route.memo == null ? null : route.memo.rules.get(index);
    if (cached != null && sameElements(cached.rateLimits(), limits)) {
      return cached.config();
    }
    RuleConfig config = RuleTranslator.translate(route, index);
    if (route.memo != null) {
      route.memo.rules.put(index, new Rule(List.copyOf(limits), config));
    }
    return config;
  }

  private static final SortedSet<String> NO_LIMITS = Collections.emptySortedSet();

  /** Compares in order without copying: 5,000 routes ask on every compile, nearly always equal. */
  private static boolean sameElements(List<String> list, Set<String> ordered) {
    if (list.size() != ordered.size()) {
      return false;
    }
    int i = 0;
    for (String s : ordered) {
      if (!s.equals(list.get(i++))) {
        return false;
      }
    }
    return true;
  }

  /**
   * What routes' results depend on, by version rather than by instance: a status write replaces the
   * DataPlane object (and every new route changes its status), which must not count as a change of
   * the environment. Objects read from files carry no versions and are compared by instance.
   */
  private static Set<Object> environment(ResourceBundle bundle) {
    Set<Object> keys = new HashSet<>();
    for (DataPlane dp : bundle.dataPlanes()) {
      ObjectMeta m = dp.getMetadata();
      // Only the spec matters to routes, and only a spec change bumps the generation.
      keys.add(
          m.getUid() != null && m.getGeneration() != null
              ? List.of("DataPlane", m.getUid(), m.getGeneration())
              : new Instance(dp));
    }
    for (Namespace ns : bundle.namespaces()) {
      Map<String, String> labels = ns.getMetadata().getLabels();
      keys.add(
          List.of("Namespace", ns.getMetadata().getName(), labels == null ? Map.of() : labels));
    }
    bundle.services().forEach(s -> keys.add(versioned("Service", s)));
    bundle.referenceGrants().forEach(g -> keys.add(versioned("ReferenceGrant", g)));
    return keys;
  }

  private static Object versioned(String kind, HasMetadata o) {
    ObjectMeta m = o.getMetadata();
    return m.getUid() != null && m.getResourceVersion() != null
        ? List.of(kind, m.getUid(), m.getResourceVersion())
        : new Instance(o);
  }

  /** Equal only to itself: for objects without versions. */
  private record Instance(Object object) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Instance i && i.object == object;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(object);
    }
  }
}
