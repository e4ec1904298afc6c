package dev.portico.dataplane.routing;

import dev.portico.snapshot.RouteEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes of one virtual host, indexed by path: a map of exact paths, a map of prefixes probed
 * segment boundary by segment boundary, and the regular expressions, which have to be tried in
 * turn.
 *
 * <p>The index only narrows the candidates. The answer is always the candidate with the lowest
 * ordinal (position in the snapshot list) whose conditions hold, which is exactly "the first entry
 * in list order that matches", whatever order the list is in. Each bucket keeps list order, so
 * scanning one stops at its first match or at the first entry that could no longer win.
 */
final class HostRoutes {
  /** The multiplicative inverse of 31 modulo 2^32: undoes one {@link RegionMap#step}. */
  static final int INV31 = inverse(31);

  private static final CompiledRoute[] NONE = new CompiledRoute[0];

  private final Map<String, CompiledRoute[]> exact;
  private final CompiledRoute[] regex;
  private final RegionMap<CompiledRoute[]> prefixes;

  /**
   * @param hostname the virtual host's name, for results and messages
   * @param routes its entries in precedence order
   */
  HostRoutes(String hostname, List<RouteEntry> routes) {
    Map<String, List<CompiledRoute>> exactLists = new HashMap<>();
    Map<String, List<CompiledRoute>> prefixLists = new LinkedHashMap<>();
    List<CompiledRoute> regexList = new ArrayList<>();
    for (int i = 0; i < routes.size(); i++) {
      CompiledRoute r = new CompiledRoute(routes.get(i), i, hostname);
      switch (r.pathType) {
        case Exact -> exactLists.computeIfAbsent(r.path, p -> new ArrayList<>()).add(r);
        case PathPrefix -> prefixLists.computeIfAbsent(r.path, p -> new ArrayList<>()).add(r);
        case RegularExpression -> regexList.add(r);
      }
    }
    this.exact = new HashMap<>();
    exactLists.forEach((path, list) -> exact.put(path, list.toArray(NONE)));
    this.regex = regexList.toArray(NONE);
    Map<String, CompiledRoute[]> prefixArrays = new HashMap<>();
    prefixLists.forEach((path, list) -> prefixArrays.put(path, list.toArray(NONE)));
    this.prefixes = new RegionMap<>(prefixArrays, false);
  }

  /** The first route in list order that matches the request, or null. */
  CompiledRoute match(RequestView request) {
    String path = request.path();
    CompiledRoute best = null;
    CompiledRoute[] bucket = exact.isEmpty() ? null : exact.get(path);
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
