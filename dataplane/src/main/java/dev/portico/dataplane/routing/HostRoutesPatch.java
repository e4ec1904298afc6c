package dev.portico.dataplane.routing;

import dev.portico.snapshot.RouteEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The next index of a virtual host from the previous one, for a host whose entry list changed in a
 * middle section only, as a patched delta's does: the entries before and after it are the previous
 * list's own objects and keep their prepared routes and ordinals; the new middle entries get
 * ordinals in the gap between their neighbours. Only the buckets of the paths that gained or lost
 * an entry are rebuilt, and the path maps are copied with those buckets replaced, so a new route
 * among 5,000 costs a few array copies, not 5,000 prepared routes.
 */
final class HostRoutesPatch {
  private HostRoutesPatch() {}

  /**
   * The patched index, or null when the gap between the neighbours has no room for the new entries
   * (then the host is indexed afresh).
   *
   * @throws InvalidRouteException when a new entry's regular expression does not compile
   */
  static HostRoutes apply(HostRoutes previous, List<RouteEntry> routes) {
    CompiledRoute[] before = previous.all;
    int m = before.length;
    int n = routes.size();
    int head = head(before, routes);
    int tail = tail(before, routes, head);
    if (head == m && head == n) {
      return previous;
    }
    int added = n - head - tail;
    long low = head == 0 ? 0 : before[head - 1].ordinal;
    long high = tail == 0 ? Integer.MAX_VALUE : before[m - tail].ordinal;
    long step = Math.min(HostRoutes.SPACING, (high - low) / (added + 1));
    if (step == 0) {
      return null;
    }
    CompiledRoute[] all = new CompiledRoute[n];
    System.arraycopy(before, 0, all, 0, head);
    System.arraycopy(before, m - tail, all, n - tail, tail);
    for (int j = 0; j < added; j++) {
      all[head + j] =
          new CompiledRoute(routes.get(head + j), (int) (low + step * (j + 1)), previous.hostname);
    }

    Set<CompiledRoute> gone = Collections.newSetFromMap(new IdentityHashMap<>());
    Map<String, List<CompiledRoute>> exactAdded = new LinkedHashMap<>();
    Map<String, List<CompiledRoute>> prefixAdded = new LinkedHashMap<>();
    List<CompiledRoute> regexAdded = new ArrayList<>();
    boolean regexChanged = false;
    for (int i = head; i < m - tail; i++) {
      CompiledRoute r = before[i];
      gone.add(r);
      switch (r.pathType) {
        case Exact -> exactAdded.computeIfAbsent(r.path, p -> new ArrayList<>());
        case PathPrefix -> prefixAdded.computeIfAbsent(r.path, p -> new ArrayList<>());
        case RegularExpression -> regexChanged = true;
      }
    }
    for (int i = head; i < n - tail; i++) {
      CompiledRoute r = all[i];
      switch (r.pathType) {
        case Exact -> exactAdded.computeIfAbsent(r.path, p -> new ArrayList<>()).add(r);
        case PathPrefix -> prefixAdded.computeIfAbsent(r.path, p -> new ArrayList<>()).add(r);
        case RegularExpression -> regexAdded.add(r);
      }
    }
    return new HostRoutes(
        previous.hostname,
        all,
        previous.exact.with(buckets(previous.exact, exactAdded, gone)),
        regexChanged || !regexAdded.isEmpty()
            ? merge(previous.regex, regexAdded, gone)
            : previous.regex,
        previous.prefixes.with(buckets(previous.prefixes, prefixAdded, gone)));
  }

  /** How many entries {@code routes} starts with that are the very objects {@code before} has. */
  static int head(CompiledRoute[] before, List<RouteEntry> routes) {
    int limit = Math.min(before.length, routes.size());
    int head = 0;
    while (head < limit && before[head].entry() == routes.get(head)) {
      head++;
    }
    return head;
  }

  /** Likewise at the end, among the entries after the first {@code head}. */
  static int tail(CompiledRoute[] before, List<RouteEntry> routes, int head) {
    int limit = Math.min(before.length, routes.size()) - head;
    int m = before.length;
    int n = routes.size();
    int tail = 0;
    while (tail < limit && before[m - 1 - tail].entry() == routes.get(n - 1 - tail)) {
      tail++;
    }
    return tail;
  }

  /**
   * The new bucket of every path that lost or gained an entry (null when it is left empty): its
   * kept entries and the new ones, in ordinal order.
   */
  private static Map<String, CompiledRoute[]> buckets(
      RegionMap<CompiledRoute[]> map,
      Map<String, List<CompiledRoute>> added,
      Set<CompiledRoute> gone) {
    Map<String, CompiledRoute[]> changes = new HashMap<>();
    added.forEach(
        (path, routes) -> {
          CompiledRoute[] old = map.get(path, 0, path.length());
          CompiledRoute[] bucket = merge(old == null ? HostRoutes.NONE : old, routes, gone);
          changes.put(path, bucket.length == 0 ? null : bucket);
        });
    return changes;
  }

  /** {@code kept} without {@code gone}, merged with {@code added}: both are in ordinal order. */
  private static CompiledRoute[] merge(
      CompiledRoute[] kept, List<CompiledRoute> added, Set<CompiledRoute> gone) {
    List<CompiledRoute> out = new ArrayList<>(kept.length + added.size());
    int a = 0;
    for (CompiledRoute r : kept) {
      if (gone.contains(r)) {
        continue;
      }
      while (a < added.size() && added.get(a).ordinal < r.ordinal) {
        out.add(added.get(a++));
      }
      out.add(r);
    }
    while (a < added.size()) {
      out.add(added.get(a++));
    }
    return out.toArray(HostRoutes.NONE);
  }
}
