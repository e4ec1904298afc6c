package dev.portico.compiler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** Hostname intersection and specificity, with the Gateway API's wildcard semantics. */
final class Hostnames {
  /** The virtual host that serves any hostname. */
  static final String ANY = "*";

  private Hostnames() {}

  /**
   * The hostnames a route serves on a listener: the intersection of both. An empty result means the
   * route does not attach to that listener.
   *
   * @param listener the listener's hostname, or null for any
   * @param route the route's hostnames; empty for any
   */
  static List<String> intersect(String listener, List<String> route) {
    String l = listener == null || listener.isBlank() ? null : lower(listener);
    if (route == null || route.isEmpty()) {
      return List.of(l == null ? ANY : l);
    }
    TreeSet<String> out = new TreeSet<>();
    for (String raw : route) {
      String r = lower(raw);
      if (l == null) {
        out.add(r);
      } else if (covers(l, r)) {
        out.add(r);
      } else if (covers(r, l)) {
        out.add(l);
      }
    }
    return new ArrayList<>(out);
  }

  /** True when every name {@code inner} matches is also matched by {@code outer}. */
  static boolean covers(String outer, String inner) {
    if (outer.equals(inner)) {
      return true;
    }
    if (!outer.startsWith("*.")) {
      return false;
    }
    String suffix = outer.substring(1); // ".example.com"
    String innerBase = inner.startsWith("*.") ? inner.substring(1) : inner;
    return innerBase.endsWith(suffix) && innerBase.length() > suffix.length();
  }

  /** Exact names first (alphabetical), then wildcards, longest suffix first, then {@code *}. */
  static final Comparator<String> SPECIFICITY =
      Comparator.comparingInt(Hostnames::rank)
          .thenComparingInt(h -> rank(h) == 1 ? -h.length() : 0)
          .thenComparing(Comparator.naturalOrder());

  private static int rank(String host) {
    if (host.equals(ANY)) {
      return 2;
    }
    return host.startsWith("*.") ? 1 : 0;
  }

  private static String lower(String host) {
    return host.toLowerCase(Locale.ROOT);
  }
}
