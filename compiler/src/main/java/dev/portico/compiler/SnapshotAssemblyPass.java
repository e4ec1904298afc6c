package dev.portico.compiler;

import dev.portico.api.dataplane.DataPlaneSpec;
import dev.portico.api.dataplane.Listener;
import dev.portico.snapshot.AuthConfig;
import dev.portico.snapshot.AuthSecretConfig;
import dev.portico.snapshot.ListenerConfig;
import dev.portico.snapshot.RateLimitConfig;
import dev.portico.snapshot.RuleConfig;
import dev.portico.snapshot.Snapshot;
import dev.portico.snapshot.VirtualHost;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds one snapshot per accepted DataPlane from the surviving claims: listeners by port, virtual
 * hosts by specificity, entries by precedence; then prunes rules and limits nobody refers to and
 * versions the result by its content hash.
 *
 * <p>A virtual host whose claims are the previous compile's (same route results, rule and match
 * indexes) is the previous compile's object: it is not sorted again, its digest is remembered by
 * the hasher, and a replica given a delta keeps its index for it. A host with a few claims more or
 * less is the previous one with those inserted or left out ({@link HostOrder}).
 */
final class SnapshotAssemblyPass implements CompilerPass {
  private final SnapshotHasher hasher = new SnapshotHasher();
  private Map<String, HostOrder> built = new HashMap<>();
  private Map<String, HostOrder> nextBuilt = new HashMap<>();

  @Override
  public void apply(CompilationContext ctx) {
    Map<String, List<Claim>> byDataPlane = new HashMap<>();
    for (Claim claim : ctx.claims) {
      byDataPlane.computeIfAbsent(claim.dataPlane, d -> new ArrayList<>()).add(claim);
    }
    for (DataPlaneState dp : ctx.dataPlanes.values()) {
      if (dp.accepted()) {
        ctx.snapshots.put(dp.id(), assemble(ctx, dp, byDataPlane.getOrDefault(dp.id(), List.of())));
      }
    }
    built = nextBuilt;
    nextBuilt = new HashMap<>();
    hasher.forgetUnused();
  }

  private Snapshot assemble(CompilationContext ctx, DataPlaneState dp, List<Claim> claims) {
    String dpId = dp.id();
    // listener name -> hostname -> claims; hostnames are put in specificity order once per listener
    // below, not on every insert (the comparator is far costlier than hashing, per claim).
    Map<String, Map<String, List<Claim>>> hosts = new HashMap<>();
    // In claim order, which is route order: nearly sorted by id already, so sorting it below costs
    // little more than a walk.
    Map<String, RuleConfig> rules = new LinkedHashMap<>();
    Set<String> unserved = unserved(dp);
    for (Claim claim : claims) {
      if (unserved.contains(claim.listener)) {
        continue; // a listener without a usable certificate is not served, nor its routes
      }
      take(claim, dpId, hosts, rules);
    }
    List<ListenerConfig> listeners = new ArrayList<>();
    List<Listener> declared = new ArrayList<>(dp.resource.getSpec().listeners);
    declared.sort(Comparator.comparingInt(l -> l.port));
    for (Listener l : declared) {
      if (unserved.contains(l.name)) {
        continue;
      }
      Map<String, List<Claim>> byHost = hosts.getOrDefault(l.name, Map.of());
      List<String> hostnames = new ArrayList<>(byHost.keySet());
      hostnames.sort(Hostnames.SPECIFICITY);
      List<VirtualHost> vhosts = new ArrayList<>(hostnames.size());
      for (String host : hostnames) {
        vhosts.add(virtualHost(dpId + "|" + l.name + "|" + host, host, byHost.get(host)));
      }
      listeners.add(
          new ListenerConfig(l.name, l.port, protocol(l), dp.certificates.get(l.name), vhosts));
    }
    List<RuleConfig> sortedRules = new ArrayList<>(rules.values());
    sortedRules.sort(Comparator.comparing(RuleConfig::id));
    SortedSet<String> limitIds = new TreeSet<>(dp.rateLimits);
    rules.values().forEach(r -> limitIds.addAll(r.rateLimits()));
    List<RateLimitConfig> limits = new ArrayList<>();
    for (String id : limitIds) {
      limits.add(ctx.rateLimits.get(id));
    }
    for (PolicyState policy : ctx.policies.values()) {
      if (policy.limitIds.stream().anyMatch(limitIds::contains)) {
        policy.dataPlanes.add(dp.id());
      }
    }
    Snapshot snapshot =
        new Snapshot(
            dp.id(),
            "",
            ProxySettingsTranslator.translate(dp.resource.getSpec().proxy),
            listeners,
            sortedRules,
            limits,
            List.copyOf(dp.rateLimits),
            limits.isEmpty() ? null : rateLimitHeaders(dp),
            hasGlobal(limits) ? dp.redis : null,
            auth(ctx, dp, rules.values()));
    return hasher.version(snapshot);
  }

  /**
   * Puts a served claim into the DataPlane's snapshot: under its listener and hostname, its rule
   * (translated once per compile) among the rules, the DataPlane among the route's.
   */
  static void take(
      Claim claim,
      String dpId,
      Map<String, Map<String, List<Claim>>> hosts,
      Map<String, RuleConfig> rules) {
    hosts
        .computeIfAbsent(claim.listener, l -> new HashMap<>())
        .computeIfAbsent(claim.hostname, h -> new ArrayList<>())
        .add(claim);
    rules.computeIfAbsent(
        claim.route.ruleId(claim.ruleIndex), id -> RouteMemo.rule(claim.route, claim.ruleIndex));
    claim.route.dataPlanes.add(dpId);
  }

  /** A listener without a usable certificate is not served, nor are its routes. */
  static Set<String> unserved(DataPlaneState dp) {
    Set<String> unserved = new HashSet<>();
    for (Listener l : dp.resource.getSpec().listeners) {
      if (!dp.serves(l)) {
        unserved.add(l.name);
      }
    }
    return unserved;
  }

  /** The host of a slot ({@code dataPlane|listener|hostname}) after the latest compile, or null. */
  HostOrder host(String slot) {
    return built.get(slot);
  }

  /**
   * Ends a route delta ({@link RouteDeltaCompile}): the hosts it changed replace theirs (a null
   * host is gone), and every snapshot gets its version.
   */
  SortedMap<String, Snapshot> commit(
      Map<String, HostOrder> hosts, Map<String, Snapshot> snapshots) {
    hosts.forEach(
        (slot, order) -> {
          if (order == null) {
            built.remove(slot);
          } else {
            built.put(slot, order);
          }
        });
    SortedMap<String, Snapshot> versioned = new TreeMap<>();
    snapshots.forEach((dp, snapshot) -> versioned.put(dp, hasher.version(snapshot)));
    hasher.forgetUnused();
    return versioned;
  }

  /** The default security and the material of every Secret some rule or the default names. */
  private static AuthConfig auth(
      CompilationContext ctx, DataPlaneState dp, java.util.Collection<RuleConfig> rules) {
    SortedSet<String> refs = new TreeSet<>(SecurityTranslator.refs(dp.security));
    for (RuleConfig rule : rules) {
      refs.addAll(SecurityTranslator.refs(rule.security()));
    }
    List<AuthSecretConfig> secrets = new ArrayList<>();
    for (String ref : refs) {
      AuthSecretConfig material = ctx.authSecrets.get(ref);
      if (material != null) {
        secrets.add(material);
      }
    }
    return dp.security == null && secrets.isEmpty() ? null : new AuthConfig(dp.security, secrets);
  }

  /** The store goes to replicas only when they have Global limits to count in it. */
  private static boolean hasGlobal(List<RateLimitConfig> limits) {
    return limits.stream().anyMatch(l -> "Global".equals(l.scope()));
  }

  private static String rateLimitHeaders(DataPlaneState dp) {
    DataPlaneSpec.RateLimitHeaders style = dp.resource.getSpec().rateLimitHeaders;
    return (style == null ? DataPlaneSpec.RateLimitHeaders.Draft : style).name();
  }

  private VirtualHost virtualHost(String slot, String host, List<Claim> claims) {
    HostOrder order = HostOrder.of(host, claims, built.get(slot));
    nextBuilt.put(slot, order);
    return order.host();
  }

  private static String protocol(Listener l) {
    return l.protocol == null ? "HTTP" : l.protocol.name();
  }
}
