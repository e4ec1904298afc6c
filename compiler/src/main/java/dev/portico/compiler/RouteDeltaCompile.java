package dev.portico.compiler;

import dev.portico.api.ratelimit.PolicyTargetRef;
import dev.portico.api.route.GatewayRoute;
import dev.portico.snapshot.ListenerConfig;
import dev.portico.snapshot.RuleConfig;
import dev.portico.snapshot.Snapshot;
import dev.portico.snapshot.VirtualHost;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Compiles a change of a few routes onto the previous compile's result, in time proportional to the
 * change: the new and edited routes go through the route-local passes alone, their claims replace
 * the old ones in the virtual hosts they touch, their rules in the sorted rule lists, and their
 * verdicts (with the DataPlanes', whose snapshot versions change) in the verdict map. Every other
 * route's results, claims and verdict are the previous compile's, unread.
 *
 * <p>That holds only while nothing else changed, and while the change cannot reach other routes or
 * policies. So a delta applies only when every object besides routes is the previous compile's
 * (same versions), no RateLimitPolicy targets a changed route, the changed routes name no Secret
 * (their security problems and the snapshots' key material stay as they were) and no claim of
 * theirs conflicts, before or after (no other route's Conflicted condition changes). Anything else
 * is a whole compile, which gives the same result (tested by compiling edit sequences both ways)
 * and is itself incremental in the route-local work ({@link RouteMemo}).
 */
final class RouteDeltaCompile {
  /** Past this many new, edited or deleted routes, a whole compile is about as quick. */
  static final int MAX_ROUTES = 64;

  private final RouteMemo memo;
  private final SnapshotAssemblyPass assembly;
  private final VerdictBuilder verdicts;
  private final SpecValidationPass validation = new SpecValidationPass();
  private final AttachmentPass attachment = new AttachmentPass();
  private final BackendRefPass backends = new BackendRefPass();

  /** The latest whole compile's context: the objects besides routes, the claims by slot. */
  private CompilationContext base;

  private ResourceBundle baseBundle;
  private SortedMap<String, Snapshot> snapshots;

  RouteDeltaCompile(RouteMemo memo, SnapshotAssemblyPass assembly, VerdictBuilder verdicts) {
    this.memo = memo;
    this.assembly = assembly;
    this.verdicts = verdicts;
  }

  /** Takes a whole compile's context as the base of the next deltas. */
  void wholeCompiled(CompilationContext ctx, ResourceBundle bundle) {
    base = ctx;
    baseBundle = bundle;
    snapshots = ctx.snapshots;
  }

  /** What changed among the routes: the new route objects and the results of those they replace. */
  private record Changes(List<GatewayRoute> added, List<RouteMemo.Entry> gone) {}

  /**
   * The compile of {@code bundle} as a delta on the previous one, or null when it takes a whole
   * compile; nothing is changed then.
   *
   * @param sameEnvironment whether the route memo found the objects routes depend on unchanged
   */
  CompileResult compile(ResourceBundle bundle, boolean sameEnvironment) {
    if (base == null
        || !sameEnvironment
        || !sameVersions(baseBundle.rateLimitPolicies(), bundle.rateLimitPolicies())
        || !sameSecrets(baseBundle, bundle)) {
      return null;
    }
    Changes changes = changes(bundle.routes());
    if (changes == null) {
      return null;
    }
    List<RouteState> states = new ArrayList<>(changes.added().size());
    for (GatewayRoute route : changes.added()) {
      states.add(new RouteState(route, null));
    }
    CompilationContext ctx = new CompilationContext(base, states);
    validation.routes(ctx);
    attachment.apply(ctx);
    backends.apply(ctx);
    Set<String> ids = new HashSet<>(ctx.routes.keySet());
    changes.gone().forEach(e -> ids.add(e.id));
    if (targeted(ids) || namesSecrets(ctx) || !conflictFree(changes.gone(), ctx.claims)) {
      return null;
    }
    RouteMemo.prepare(ctx);
    Set<RouteMemo.Entry> gone = Collections.newSetFromMap(new IdentityHashMap<>());
    gone.addAll(changes.gone());
    Map<String, HostOrder> hosts = new HashMap<>();
    Map<String, Snapshot> unversioned = new TreeMap<>();
    for (Snapshot previous : snapshots.values()) {
      Snapshot next = assemble(previous, ctx, gone, hosts);
      if (next == null) {
        return null;
      }
      unversioned.put(previous.dataPlane(), next);
    }
    // Known to apply from here on: the memo, the claims by slot, the hosts and verdicts move on.
    memo.replace(changes.gone(), ctx);
    for (RouteMemo.Entry entry : changes.gone()) {
      entry.claims.forEach(c -> base.claimsBySlot.remove(c.slot()));
    }
    for (Claim claim : ctx.claims) {
      base.claimsBySlot.put(claim.slot, new ArrayList<>(List.of(claim)));
    }
    snapshots = assembly.commit(hosts, unversioned);
    List<ObjectKey> deleted = new ArrayList<>();
    for (RouteMemo.Entry entry : changes.gone()) {
      if (!ctx.routes.containsKey(entry.id)) {
        deleted.add(entry.key);
      }
    }
    VerdictBuilder.Verdicts v =
        verdicts.patch(base.dataPlanes.values(), snapshots, ctx.routes.values(), deleted);
    return new CompileResult(snapshots, v.all(), v.changed(), v.removed());
  }

  /**
   * The route objects the memo has no results for, and the results of the routes they replace or
   * that are gone; null when more than {@link #MAX_ROUTES} changed or names repeat (files).
   */
  private Changes changes(List<GatewayRoute> routes) {
    List<GatewayRoute> added = new ArrayList<>();
    int kept = 0;
    long round = memo.newRound();
    for (GatewayRoute route : routes) {
      if (memo.mark(route, round)) {
        kept++;
      } else if (added.size() == MAX_ROUTES) {
        return null;
      } else {
        added.add(route);
      }
    }
    int goneCount = memo.size() - kept;
    if (goneCount > MAX_ROUTES) {
      return null;
    }
    Set<String> addedIds = new HashSet<>();
    List<RouteMemo.Entry> gone = new ArrayList<>();
    for (GatewayRoute route : added) {
      String id = ObjectKey.of(GatewayRoute.KIND, route).namespacedName();
      if (!addedIds.add(id)) {
        return null;
      }
      RouteMemo.Entry before = memo.byId(id);
      if (before != null) {
        gone.add(before);
      }
    }
    if (gone.size() < goneCount) { // deleted routes: those whose objects were not marked
      for (RouteMemo.Entry entry : memo.entries()) {
        if (entry.seen != round && !addedIds.contains(entry.id)) {
          gone.add(entry);
        }
      }
    }
    // More: a new object named like a route still there (a duplicate, from files).
    return gone.size() == goneCount ? new Changes(added, gone) : null;
  }

  /** Whether a RateLimitPolicy targets one of the routes: its limits and its verdict would move. */
  private boolean targeted(Set<String> routeIds) {
    for (PolicyState policy : base.policies.values()) {
      var spec = policy.resource.getSpec();
      PolicyTargetRef target = spec == null ? null : spec.targetRef;
      if (target != null
          && target.kind == PolicyTargetRef.Kind.GatewayRoute
          && routeIds.contains(policy.key.namespace() + "/" + target.name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a changed route's security names a Secret: then its problems and the snapshots' key
   * material are the security pass's to work out. (A removed rule naming one is found where the
   * snapshot rules are compared.)
   */
  private static boolean namesSecrets(CompilationContext ctx) {
    for (RouteState route : ctx.routes.values()) {
      if (!route.valid()) {
        continue;
      }
      for (int i = 0; i < route.rules().size(); i++) {
        var spec = SecurityTranslator.effective(route, i);
        if (spec != null
            && !SecurityTranslator.refs(SecurityTranslator.translate(spec, route.namespace()))
                .isEmpty()) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether the gone claims had their slots to themselves and the new claims find theirs free: then
   * no route wins or loses a match, and no Conflicted condition changes.
   */
  private boolean conflictFree(List<RouteMemo.Entry> gone, List<Claim> added) {
    Set<String> freed = new HashSet<>();
    for (RouteMemo.Entry entry : gone) {
      for (RouteMemo.ClaimShape shape : entry.claims) {
        List<Claim> slot = base.claimsBySlot.get(shape.slot());
        if (slot == null || slot.size() != 1 || slot.get(0).route.memo != entry) {
          return false;
        }
        freed.add(shape.slot());
      }
    }
    Set<String> taken = new HashSet<>();
    for (Claim claim : added) {
      if (!taken.add(claim.slot)) {
        return false;
      }
      List<Claim> slot = base.claimsBySlot.get(claim.slot);
      if (slot != null && !slot.isEmpty() && !freed.contains(claim.slot)) {
        return false;
      }
    }
    return true;
  }

  /**
   * One DataPlane's snapshot with the delta (unversioned), recording the hosts it changed in {@code
   * hosts}; null when a removed or added rule carries limits or names Secrets.
   */
  private Snapshot assemble(
      Snapshot previous,
      CompilationContext ctx,
      Set<RouteMemo.Entry> gone,
      Map<String, HostOrder> hosts) {
    String dpId = previous.dataPlane();
    Set<String> unserved = SnapshotAssemblyPass.unserved(base.dataPlanes.get(dpId));
    // listener -> hostname -> claims, in route order as the context made them
    Map<String, Map<String, List<Claim>>> added = new HashMap<>();
    Map<String, RuleConfig> addedRules = new LinkedHashMap<>();
    for (Claim claim : ctx.claims) {
      if (!claim.dataPlane.equals(dpId) || unserved.contains(claim.listener)) {
        continue;
      }
      SnapshotAssemblyPass.take(claim, dpId, added, addedRules);
    }
    Map<String, Set<String>> left = new HashMap<>(); // listener -> hostnames gone claims were on
    for (RouteMemo.Entry entry : gone) {
      for (RouteMemo.ClaimShape shape : entry.claims) {
        if (shape.dataPlane().equals(dpId) && !unserved.contains(shape.listener())) {
          left.computeIfAbsent(shape.listener(), l -> new TreeSet<>()).add(shape.hostname());
        }
      }
    }
    if (added.isEmpty() && left.isEmpty()) {
      return previous;
    }
    List<ListenerConfig> listeners = new ArrayList<>(previous.listeners().size());
    for (ListenerConfig listener : previous.listeners()) {
      Map<String, List<Claim>> in = added.getOrDefault(listener.name(), Map.of());
      Set<String> touched = new TreeSet<>(left.getOrDefault(listener.name(), Set.of()));
      touched.addAll(in.keySet());
      if (touched.isEmpty()) {
        listeners.add(listener);
        continue;
      }
      List<VirtualHost> vhosts = new ArrayList<>(listener.virtualHosts());
      for (String hostname : touched) {
        String slot = dpId + "|" + listener.name() + "|" + hostname;
        HostOrder order =
            HostOrder.changed(
                hostname, assembly.host(slot), gone, in.getOrDefault(hostname, List.of()));
        hosts.put(slot, order);
        int at = find(vhosts, VirtualHost::hostname, Hostnames.SPECIFICITY, hostname);
        if (at >= 0 && order == null) {
          vhosts.remove(at);
        } else if (at >= 0) {
          vhosts.set(at, order.host());
        } else if (order != null) {
          vhosts.add(-at - 1, order.host());
        }
      }
      listeners.add(listener.withVirtualHosts(vhosts));
    }
    List<RuleConfig> rules = rules(previous.rules(), gone, addedRules.values());
    if (rules == null) {
      return null;
    }
    return new Snapshot(
        dpId,
        "",
        previous.proxy(),
        listeners,
        rules,
        previous.rateLimits(),
        previous.dataPlaneRateLimits(),
        previous.rateLimitHeaders(),
        previous.redis(),
        previous.auth());
  }

  /**
   * The index of the item whose key is {@code key} in a list sorted by {@code order} of its items'
   * keys, or {@code -(insertion point) - 1}.
   */
  private static <T> int find(
      List<T> sorted, Function<T, String> keyOf, Comparator<String> order, String key) {
    int low = 0;
    int high = sorted.size() - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int c = order.compare(keyOf.apply(sorted.get(mid)), key);
      if (c < 0) {
        low = mid + 1;
      } else if (c > 0) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -(low + 1);
  }

  /**
   * The rules sorted by id without those of gone route results, with the added ones; null when one
   * of either carries limits or names Secrets (the snapshot's limits and key material would move).
   */
  private static List<RuleConfig> rules(
      List<RuleConfig> previous, Set<RouteMemo.Entry> gone, Iterable<RuleConfig> added) {
    boolean[] removed = new boolean[previous.size()];
    for (RouteMemo.Entry entry : gone) {
      for (int i = 0; i < entry.ruleIds.length; i++) {
        int at = find(previous, RuleConfig::id, Comparator.naturalOrder(), entry.id + "/" + i);
        if (at >= 0) {
          if (!plain(previous.get(at))) {
            return null;
          }
          removed[at] = true;
        }
      }
    }
    List<RuleConfig> in = new ArrayList<>();
    for (RuleConfig rule : added) {
      if (!plain(rule)) {
        return null;
      }
      in.add(rule);
    }
    in.sort((a, b) -> a.id().compareTo(b.id()));
    List<RuleConfig> next = new ArrayList<>(previous.size() + in.size());
    int a = 0;
    for (int k = 0; k < previous.size(); k++) {
      if (removed[k]) {
        continue;
      }
      RuleConfig kept = previous.get(k);
      while (a < in.size() && in.get(a).id().compareTo(kept.id()) < 0) {
        next.add(in.get(a++));
      }
      next.add(kept);
    }
    next.addAll(in.subList(a, in.size()));
    return next;
  }

  /** A rule without limits and without Secrets. */
  private static boolean plain(RuleConfig rule) {
    return rule.rateLimits().isEmpty() && SecurityTranslator.refs(rule.security()).isEmpty();
  }

  /** Same objects by {@code namespace/name}, each the same version (or instance, from files). */
  private static boolean sameVersions(
      List<? extends HasMetadata> before, List<? extends HasMetadata> now) {
    if (before.size() != now.size()) {
      return false;
    }
    Map<String, HasMetadata> byId = new HashMap<>();
    before.forEach(o -> byId.put(CompilationContext.id(o), o));
    for (HasMetadata o : now) {
      HasMetadata b = byId.get(CompilationContext.id(o));
      if (b == null || b != o && !sameVersion(b.getMetadata(), o.getMetadata())) {
        return false;
      }
    }
    return true;
  }

  /** Same object and spec: a status write bumps the resource version, never the generation. */
  private static boolean sameVersion(ObjectMeta a, ObjectMeta b) {
    return a.getUid() != null
        && a.getUid().equals(b.getUid())
        && a.getGeneration() != null
        && a.getGeneration().equals(b.getGeneration());
  }

  private static boolean sameSecrets(ResourceBundle before, ResourceBundle now) {
    if (!before.credentialSecrets().equals(now.credentialSecrets())
        || before.tlsSecrets().size() != now.tlsSecrets().size()) {
      return false;
    }
    for (int i = 0; i < now.tlsSecrets().size(); i++) {
      TlsSecret a = before.tlsSecrets().get(i);
      TlsSecret b = now.tlsSecrets().get(i);
      if (!a.id().equals(b.id())
          || !Objects.equals(a.type(), b.type())
          || !Arrays.equals(a.certificate(), b.certificate())
          || !Arrays.equals(a.privateKey(), b.privateKey())) {
        return false;
      }
    }
    return true;
  }
}
