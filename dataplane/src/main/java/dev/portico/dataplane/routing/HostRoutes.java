package dev.portico.dataplane.routing;

import dev.portico.snapshot.RouteEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes of one virtual host, indexed by path: a map of exact paths, a map of prefixes probed
 * segment boundary by segment boundary, and the regular expressions, which have to be tried in
 * turn.
 *
 * <p>The index only narrows the candidates. The answer is always the candidate with the lowest
 * ordinal whose conditions hold, which is exactly "the first entry in list order that matches",
 * whatever order the list is in, since ordinals increase along the list. Each bucket keeps list
 * order, so scanning one stops at its first match or at the first entry that could no longer win.
 *
 * <p>Ordinals leave room between neighbours, so the next index of the host (a delta that adds or
 * removes a few entries) keeps every other entry's prepared route and ordinal, and with them every
 * bucket those entries alone fill: see {@link HostRoutesPatch}.
 */
final class HostRoutes {
  /** The multiplicative inverse of 31 modulo 2^32: undoes one {@link RegionMap#step}. */
  static final int INV31 = inverse(31);

  /**
   * The ordinal step of a fresh index: about ten insertions at one place before the host has to be
   * renumbered (and re-indexed whole).
   */
  static final int SPACING = 1 << 10;

  static final CompiledRoute[] NONE = new CompiledRoute[0];

  final String hostname;

  /** Every route in list order. */
  final CompiledRoute[] all;

  final RegionMap<CompiledRoute[]> exact;
  final CompiledRoute[] regex;
  final RegionMap<CompiledRoute[]> prefixes;

  HostRoutes(
      String hostname,
      CompiledRoute[] all,
      RegionMap<CompiledRoute[]> exact,
      CompiledRoute[] regex,
      RegionMap<CompiledRoute[]> prefixes) {
    this.hostname = hostname;
    this.all = all;
    this.exact = exact;
    this.regex = regex;
    this.prefixes = prefixes;
  }

  /**
   * Indexes a virtual host's entries, reusing what {@code previous} (the same host's index in the
   * served snapshot, or null) prepared for the very same entry objects at its start and end.
   *
   * @param hostname the virtual host's name, for results and messages
   * @param routes its entries in precedence order
   * @throws InvalidRouteException when a regular expression does not compile with RE2J
   */
  static HostRoutes of(String hostname, List<RouteEntry> routes, HostRoutes previous) {
    if (previous != null && previous.hostname.equals(hostname)) {
      HostRoutes patched = HostRoutesPatch.apply(previous, routes);
      if (patched != null) {
        return patched;
      }
      return build(hostname, routes, previous.all);
    }
    return build(hostname, routes, NONE);
  }

  /**
   * A fresh index with evenly spaced ordinals; the entries that {@code before} starts or ends with
   * keep their prepared routes.
   */
  private static HostRoutes build(
      String hostname, List<RouteEntry> routes, CompiledRoute[] before) {
    int n = routes.size();
    int spacing = (int) Math.min(SPACING, (Integer.MAX_VALUE - 1L) / (n + 1));
    int head = HostRoutesPatch.head(before, routes);
    int tail = HostRoutesPatch.tail(before, routes, head);
    Map<String, List<CompiledRoute>> exactLists = new HashMap<>();
    Map<String, List<CompiledRoute>> prefixLists = new HashMap<>();
    List<CompiledRoute> regexList = new ArrayList<>();
    CompiledRoute[] all = new CompiledRoute[n];
    for (int i = 0; i < n; i++) {
      int ordinal = (i + 1) * spacing;
      CompiledRoute r;
      if (i < head) {
        r = before[i].withOrdinal(ordinal);
      } else if (i >= n - tail) {
        r = before[before.length - (n - i)].withOrdinal(ordinal);
      } else {
        r = new CompiledRoute(routes.get(i), ordinal, hostname);
      }
      all[i] = r;
      switch (r.pathType) {
        case Exact -> exactLists.computeIfAbsent(r.path, p -> new ArrayList<>()).add(r);
        case PathPrefix -> prefixLists.computeIfAbsent(r.path, p -> new ArrayList<>()).add(r);
        case RegularExpression -> regexList.add(r);
      }
    }
    return new HostRoutes(
        hostname,
        all,
        new RegionMap<>(arrays(exactLists), false),
        regexList.toArray(NONE),
        new RegionMap<>(arrays(prefixLists), false));
  }

  private static Map<String, CompiledRoute[]> arrays(Map<String, List<CompiledRoute>> lists) {
    Map<String, CompiledRoute[]> out = new HashMap<>();
    lists.forEach((path, list) -> out.put(path, list.toArray(NONE)));
    return out;
  }

  /** The first route in list order that matches the request, or null. */
  CompiledRoute match(RequestView request) {
    String path = request.path();
    CompiledRoute best = null;
    CompiledRoute[] bucket =
        exact.isEmpty() ? null : exact.get(path.hashCode(), path, 0, path.length());
    if (bucket != null) {
      best = first(bucket, request, Integer.MAX_VALUE);
    }
    for (CompiledRoute r : regex) {
      if (best != null && r.ordinal > best.ordinal) {
        break;
      }
      if (r.pathPattern.matches(path) && r.conditionsHold(request)) {
        best = r;
        break;
      }
    }
    if (!prefixes.isEmpty()) {
      best = longestPrefixes(path, request, best);
    }
    return best;
  }

  /**
   * Probes every prefix of {@code path} that ends at a segment boundary, longest first, without
   * allocating: the hash of the whole path is computed once, then unwound one character at a time
   * ({@code h(p[0,i)) = (h(p[0,i+1)) - p[i]) * 31^-1}), probing at each {@code /}. Probes are one
   * per segment, whatever the number of routes.
   */
  private CompiledRoute longestPrefixes(String path, RequestView request, CompiledRoute best) {
    int n = path.length();
    int h = prefixes.hash(path, 0, n);
    if (n == 0 || path.charAt(n - 1) != '/') {
      best = better(prefixes.get(h, path, 0, n), request, best);
    }
    for (int i = n - 1; i >= 0; i--) {
      char c = path.charAt(i);
      h = (h - c) * INV31;
      if (c == '/') {
        best = better(prefixes.get(h, path, 0, i), request, best);
      }
    }
    return best;
  }

  private static CompiledRoute better(
      CompiledRoute[] bucket, RequestView request, CompiledRoute best) {
    if (bucket == null) {
      return best;
    }
    CompiledRoute r = first(bucket, request, best == null ? Integer.MAX_VALUE : best.ordinal);
    return r == null ? best : r;
  }

  /** The bucket's first route whose conditions hold and that precedes {@code bound}, or null. */
  private static CompiledRoute first(CompiledRoute[] bucket, RequestView request, int bound) {
    for (CompiledRoute r : bucket) {
      if (r.ordinal >= bound) {
        return null;
      }
      if (r.conditionsHold(request)) {
        return r;
      }
    }
    return null;
  }

  /** Newton's iteration for an inverse modulo 2^32: each step doubles the correct low bits. */
  private static int inverse(int odd) {
    int x = odd; // correct to 3 bits for any odd number
    for (int i = 0; i < 4; i++) {
      x *= 2 - odd * x;
    }
    return x;
  }
}
