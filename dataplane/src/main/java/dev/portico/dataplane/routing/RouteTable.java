package dev.portico.dataplane.routing;

import dev.portico.snapshot.ListenerConfig;
import dev.portico.snapshot.RouteEntry;
import dev.portico.snapshot.VirtualHost;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The routing decision of one listener, between path normalization and the policy chain: built once
 * when a snapshot is loaded, immutable, safe to share across event loops.
 *
 * <p><b>Hosts.</b> The request host is read case-insensitively, without its port ({@code
 * Example.COM:8080}), without a trailing dot, and IPv6 literals keep their brackets ({@code
 * [::1]:8080} is {@code [::1]}). The virtual hosts that cover it are tried most specific first: the
 * exact name, then wildcards from the longest suffix to the shortest, then {@code *}. A wildcard
 * {@code *.example.com} covers one or more labels ({@code a.example.com}, {@code a.b.example.com})
 * but not {@code example.com}. Wildcards are found by probing the request host's own label
 * suffixes, so the cost depends on its labels, not on how many hosts the listener has.
 *
 * <p><b>Fall-through.</b> When a covering virtual host has no entry that matches, the next less
 * specific one is tried, down to {@code *}: an exact-host route for {@code /api} does not hide a
 * wildcard or catch-all route for {@code /docs}. This is the Gateway API rule that hostname
 * specificity is the first precedence criterion among all routes that match, not a partition.
 *
 * <p><b>Routes.</b> Within a virtual host the answer is the first entry of {@link
 * VirtualHost#routes()}, in list order (the compiler's precedence order), whose path, method,
 * headers and query parameters all hold. The per-host index ({@link HostRoutes}) only narrows the
 * candidates; exact and prefix lookups cost the same with ten routes or ten thousand.
 *
 * <p>A lookup allocates nothing of its own; regular expressions (RE2J) allocate a matcher, and
 * query conditions make the request parse its query once.
 */
public final class RouteTable {
  private static final String ANY = "*";

  private final RegionMap<HostRoutes> exactHosts;

  /** Keyed by the suffix after the {@code *}: {@code .example.com}. */
  private final RegionMap<HostRoutes> wildcardHosts;

  /** {@code wildcardLengths[n]}: some wildcard suffix has n characters; skips hopeless probes. */
  private final boolean[] wildcardLengths;

  private final HostRoutes anyHost;

  private RouteTable(
      Map<String, HostRoutes> exact, Map<String, HostRoutes> wildcards, HostRoutes anyHost) {
    this.exactHosts = new RegionMap<>(exact, true);
    this.wildcardHosts = new RegionMap<>(wildcards, true);
    int longest = wildcards.keySet().stream().mapToInt(String::length).max().orElse(0);
    this.wildcardLengths = new boolean[longest + 1];
    wildcards.keySet().forEach(suffix -> wildcardLengths[suffix.length()] = true);
    this.anyHost = anyHost;
  }

  /**
   * Indexes a listener's virtual hosts.
   *
   * @throws InvalidRouteException when a regular expression does not compile with RE2J
   */
  public static RouteTable of(ListenerConfig listener) {
    return of(listener, new IndexedHosts(), new IndexedHosts());
  }

  /**
   * Indexes a listener's virtual hosts, reusing the index of every virtual host object that {@code
   * before} indexed (a snapshot patched from a delta shares its unchanged hosts with the previous
   * one) and recording each index in {@code after} for the next snapshot.
   *
   * @throws InvalidRouteException when a regular expression does not compile with RE2J
   */
  public static RouteTable of(ListenerConfig listener, IndexedHosts before, IndexedHosts after) {
    // Two virtual hosts with one name should not happen; if they do, the first one's routes win,
    // as a walk down the list would decide.
    Map<String, List<VirtualHost>> byName = new LinkedHashMap<>();
    Map<String, String> displayNames = new HashMap<>();
    for (VirtualHost vh : listener.virtualHosts()) {
      String name = vh.hostname() == null ? ANY : key(vh.hostname());
      byName.computeIfAbsent(name, n -> new ArrayList<>()).add(vh);
      displayNames.putIfAbsent(name, vh.hostname() == null ? ANY : vh.hostname());
    }
    Map<String, HostRoutes> exact = new HashMap<>();
    Map<String, HostRoutes> wildcards = new HashMap<>();
    HostRoutes any = null;
    for (Map.Entry<String, List<VirtualHost>> e : byName.entrySet()) {
      String name = e.getKey();
      HostRoutes routes =
          index(listener.name() + '\n' + name, displayNames.get(name), e.getValue(), before, after);
      if (name.equals(ANY)) {
        any = routes;
      } else if (name.startsWith("*.")) {
        wildcards.put(name.substring(1), routes);
      } else {
        exact.put(name, routes);
      }
    }
    return new RouteTable(exact, wildcards, any);
  }

  private static HostRoutes index(
      String slot,
      String displayName,
      List<VirtualHost> hosts,
      IndexedHosts before,
      IndexedHosts after) {
    HostRoutes routes;
    if (hosts.size() == 1) {
      VirtualHost vh = hosts.get(0);
      routes = before.get(vh);
      if (routes == null) { // the display name comes from the same object, so it is the same
        routes = HostRoutes.of(displayName, vh.routes(), before.named(slot));
      }
      after.put(vh, routes);
    } else {
      List<RouteEntry> merged = new ArrayList<>();
      hosts.forEach(vh -> merged.addAll(vh.routes()));
      routes = HostRoutes.of(displayName, merged, before.named(slot));
    }
    after.putNamed(slot, routes);
    return routes;
  }

  /**
   * Host indexes by the virtual host object they were built from (identity, not equality), and by
   * listener and host name: a changed virtual host is indexed from the previous index of its name.
   */
  public static final class IndexedHosts {
    private final Map<VirtualHost, HostRoutes> byHost = new IdentityHashMap<>();
    private final Map<String, HostRoutes> byName = new HashMap<>();

    HostRoutes get(VirtualHost host) {
      return byHost.get(host);
    }

    void put(VirtualHost host, HostRoutes routes) {
      byHost.put(host, routes);
    }

    HostRoutes named(String listenerAndHost) {
      return byName.get(listenerAndHost);
    }

    void putNamed(String listenerAndHost, HostRoutes routes) {
      byName.put(listenerAndHost, routes);
    }
  }

  /**
   * The entry that handles a request, or null for a 404.
   *
   * @param host the {@code Host} header (or HTTP/2 {@code :authority}) as received, or null
   * @param request the request, its path already normalized
   */
  public RouteMatch match(String host, RequestView request) {
    int end = hostEnd(host);
    if (end > 0) {
      HostRoutes exact = exactHosts.get(host, 0, end);
      CompiledRoute r = exact == null ? null : exact.match(request);
      if (r != null) {
        return r.result;
      }
      if (!wildcardHosts.isEmpty() && host.charAt(0) != '[') {
        r = matchWildcards(host, end, request);
        if (r != null) {
          return r.result;
        }
      }
    }
    CompiledRoute r = anyHost == null ? null : anyHost.match(request);
    return r == null ? null : r.result;
  }

  /** Wildcards covering {@code host[0, end)}, longest suffix first: suffixes start at a dot. */
  private CompiledRoute matchWildcards(String host, int end, RequestView request) {
    for (int dot = 1; dot < end; dot++) {
      int length = end - dot;
      if (host.charAt(dot) != '.' || length >= wildcardLengths.length || !wildcardLengths[length]) {
        continue;
      }
      HostRoutes wildcard = wildcardHosts.get(host, dot, end);
      CompiledRoute r = wildcard == null ? null : wildcard.match(request);
      if (r != null) {
        return r;
      }
    }
    return null;
  }

  /**
   * The end of the host name in a Host header: before the port and a trailing dot; after the {@code
   * ]} of an IPv6 literal. 0 when there is no usable name, which leaves only {@code *}.
   */
  static int hostEnd(String host) {
    if (host == null || host.isEmpty()) {
      return 0;
    }
    if (host.charAt(0) == '[') {
      return host.indexOf(']') + 1;
    }
    int colon = host.indexOf(':');
    int end = colon < 0 ? host.length() : colon;
    return end > 0 && host.charAt(end - 1) == '.' ? end - 1 : end;
  }

  /** Lower-case, without a trailing dot: the form {@link #hostEnd} reads request hosts in. */
  private static String key(String hostname) {
    String name = hostname.toLowerCase(Locale.ROOT);
    return name.length() > 1 && name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }
}
