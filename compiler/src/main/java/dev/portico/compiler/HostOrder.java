package dev.portico.compiler;

import dev.portico.snapshot.RouteEntry;
import dev.portico.snapshot.VirtualHost;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One virtual host of the snapshot assembly: its claims in precedence order and the host built from
 * them. The next compile's host is made from this one by inserting the claims of new or edited
 * routes and leaving out those of removed or edited ones: a route added to a host of 5,000 costs a
 * dozen comparisons and two list copies instead of a sort of 5,000 claims, and every unchanged
 * entry keeps its {@link RouteEntry} object, hence its remembered digest.
 *
 * <p>Precedence is a strict total order on the claims of one host (it ends with route, rule and
 * match), so inserting into the sorted list gives the list a full sort gives.
 */
final class HostOrder {
  /** Past this share of changed claims, a full sort is cheaper than the insertions. */
  private static final int PATCH_LIMIT_DIVISOR = 8;

  /** The claims in the order the assembly passed them (route order), to compare with the next. */
  private final List<Claim> claims;

  /** The same claims in precedence order: the host's entries are theirs, in that order. */
  private final List<Claim> sorted;

  private final VirtualHost host;

  private HostOrder(List<Claim> claims, List<Claim> sorted, List<RouteEntry> entries, String name) {
    this.claims = claims;
    this.sorted = sorted;
    this.host = new VirtualHost(name, entries);
  }

  VirtualHost host() {
    return host;
  }

  /**
   * The host of {@code claims} (in route order, as the attachment pass made them), built from
   * {@code previous} when it is that host's previous form.
   *
   * @param previous the same slot's host in the previous compile, or null
   */
  static HostOrder of(String name, List<Claim> claims, HostOrder previous) {
    if (previous != null && sameClaims(previous.claims, claims)) {
      return previous;
    }
    if (previous != null) {
      HostOrder patched = previous.patch(name, claims);
      if (patched != null) {
        return patched;
      }
    }
    List<Claim> sorted = new ArrayList<>(claims);
    sorted.sort(RoutePrecedence.ORDER);
    List<RouteEntry> entries = new ArrayList<>(sorted.size());
    for (Claim c : sorted) {
      entries.add(entry(c));
    }
    return new HostOrder(claims, sorted, entries, name);
  }

  /**
   * A route delta's form of a host ({@link RouteDeltaCompile}): {@code previous} without the claims
   * of the {@code gone} route results, with {@code added} (in route order); null when no claim is
   * left. Each claim that goes or comes is found by binary search, in route order among the claims
   * and in precedence order among the entries, so the cost is a few searches and list copies
   * whatever the size of the host.
   *
   * @param previous the host after the latest compile, or null when it had none
   */
  static HostOrder changed(
      String name, HostOrder previous, Set<RouteMemo.Entry> gone, List<Claim> added) {
    if (previous == null) {
      return added.isEmpty() ? null : of(name, added, null);
    }
    List<Claim> claims = new ArrayList<>(previous.claims);
    List<Claim> left = new ArrayList<>();
    for (RouteMemo.Entry entry : gone) {
      int at = firstOfRoute(claims, entry.id);
      while (at < claims.size() && claims.get(at).route.memo == entry) {
        left.add(claims.remove(at));
      }
    }
    for (Claim c : added) {
      int at = Collections.binarySearch(claims, c, HostOrder::routeOrder);
      claims.add(at < 0 ? -at - 1 : at, c);
    }
    if (claims.isEmpty()) {
      return null;
    }
    List<Claim> sorted = new ArrayList<>(previous.sorted);
    List<RouteEntry> entries = new ArrayList<>(previous.host.routes());
    for (Claim c : left) {
      // The same place in precedence order: the entry may be an older compile's claim object of
      // the same route results, which compares equal.
      int at = Collections.binarySearch(sorted, c, RoutePrecedence.ORDER);
      if (at < 0) {
        return of(name, claims, previous); // not expected; a whole build is always right
      }
      sorted.remove(at);
      entries.remove(at);
    }
    for (Claim c : added) {
      int at = Collections.binarySearch(sorted, c, RoutePrecedence.ORDER);
      if (at >= 0) {
        return of(name, claims, previous); // not expected: precedence is a strict order
      }
      sorted.add(-at - 1, c);
      entries.add(-at - 1, entry(c));
    }
    return new HostOrder(claims, sorted, entries, name);
  }

  /** The index of the first claim of the route {@code id} in route order, or where it would be. */
  private static int firstOfRoute(List<Claim> claims, String id) {
    int low = 0;
    int high = claims.size();
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (claims.get(mid).route.id().compareTo(id) < 0) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /**
   * This host with the changes that turn its claims into {@code next}, or null when too many
   * changed. Both lists are in route order (routes by namespace/name, a route's claims by rule and
   * match), so one walk finds what is gone and what is new.
   */
  private HostOrder patch(String name, List<Claim> next) {
    int limit = Math.max(sorted.size(), next.size()) / PATCH_LIMIT_DIVISOR;
    // By route memo entry: the sorted list may hold an unchanged claim as an older compile's
    // object.
    Map<RouteMemo.Entry, List<Claim>> gone = new IdentityHashMap<>();
    int goneCount = 0;
    List<Claim> added = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < claims.size() || j < next.size()) {
      if (goneCount + added.size() > limit) {
        return null;
      }
      if (i < claims.size() && j < next.size() && same(claims.get(i), next.get(j))) {
        i++;
        j++;
        continue;
      }
      int order =
          i == claims.size() ? 1 : j == next.size() ? -1 : routeOrder(claims.get(i), next.get(j));
      if (order <= 0) {
        Claim c = claims.get(i++); // removed, or the previous form of an edited route
        gone.computeIfAbsent(c.route.memo, m -> new ArrayList<>()).add(c);
        goneCount++;
      }
      if (order >= 0) {
        added.add(next.get(j++));
      }
    }
    added.sort(RoutePrecedence.ORDER);
    List<Claim> sortedNext = new ArrayList<>(next.size());
    List<RouteEntry> entriesNext = new ArrayList<>(next.size());
    int a = 0;
    for (int k = 0; k < sorted.size(); k++) {
      Claim kept = sorted.get(k);
      if (isGone(gone, kept)) {
        continue;
      }
      while (a < added.size() && RoutePrecedence.ORDER.compare(added.get(a), kept) < 0) {
        sortedNext.add(added.get(a));
        entriesNext.add(entry(added.get(a++)));
      }
      sortedNext.add(kept);
      entriesNext.add(host.routes().get(k));
    }
    for (; a < added.size(); a++) {
      sortedNext.add(added.get(a));
      entriesNext.add(entry(added.get(a)));
    }
    return new HostOrder(next, sortedNext, entriesNext, name);
  }

  private static boolean isGone(Map<RouteMemo.Entry, List<Claim>> gone, Claim c) {
    List<Claim> ofRoute = gone.get(c.route.memo);
    if (ofRoute != null) {
      for (Claim g : ofRoute) {
        if (same(g, c)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The same claim in two compiles: same route results (the memo entry, fixed while the route
   * object is), rule and match.
   */
  private static boolean same(Claim a, Claim b) {
    return a.route.memo == b.route.memo
        && a.ruleIndex == b.ruleIndex
        && a.matchIndex == b.matchIndex;
  }

  private static boolean sameClaims(List<Claim> a, List<Claim> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int k = 0; k < a.size(); k++) {
      if (!same(a.get(k), b.get(k))) {
        return false;
      }
    }
    return true;
  }

  /** Route order: namespace/name, then rule and match; 0 for the same place in two compiles. */
  private static int routeOrder(Claim a, Claim b) {
    int c = a.route.id().compareTo(b.route.id());
    if (c == 0) {
      c = Integer.compare(a.ruleIndex, b.ruleIndex);
    }
    return c != 0 ? c : Integer.compare(a.matchIndex, b.matchIndex);
  }

  private static RouteEntry entry(Claim c) {
    return new RouteEntry(c.match, c.route.ruleId(c.ruleIndex));
  }
}
