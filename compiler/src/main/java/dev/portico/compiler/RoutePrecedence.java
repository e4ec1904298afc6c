package dev.portico.compiler;

import dev.portico.snapshot.MatchConfig;
import java.util.Comparator;

/**
 * Gateway API HTTPRoute precedence within one virtual host: Exact path, then regular expression,
 * then the longest prefix; then a method match; then the most header matches; then the most query
 * matches; then the oldest route, its namespace/name, and rule and match order. The data plane
 * takes the first entry that matches, so this order is the routing decision.
 */
final class RoutePrecedence {
  private RoutePrecedence() {}

  /** Written out rather than a Comparator chain: it boxes nothing, and hosts sort thousands. */
  static final Comparator<Claim> ORDER = RoutePrecedence::compare;

  private static int compare(Claim a, Claim b) {
    MatchConfig x = a.match;
    MatchConfig y = b.match;
    int c = Integer.compare(pathRank(x.pathType()), pathRank(y.pathType()));
    if (c != 0) {
      return c;
    }
    c = Integer.compare(y.path().length(), x.path().length()); // longer first
    if (c != 0) {
      return c;
    }
    c = x.path().compareTo(y.path());
    if (c != 0) {
      return c;
    }
    c = Boolean.compare(x.method() == null, y.method() == null); // a method first
    if (c != 0) {
      return c;
    }
    c = Integer.compare(y.headers().size(), x.headers().size()); // more headers first
    if (c != 0) {
      return c;
    }
    c = Integer.compare(y.queryParams().size(), x.queryParams().size());
    if (c != 0) {
      return c;
    }
    if (a.route != b.route) {
      c = ConflictPass.ROUTE_AGE.compare(a.route, b.route);
      if (c != 0) {
        return c;
      }
    }
    c = Integer.compare(a.ruleIndex, b.ruleIndex);
    if (c != 0) {
      return c;
    }
    c = Integer.compare(a.matchIndex, b.matchIndex);
    return c != 0 ? c : a.matchKey.compareTo(b.matchKey);
  }

  private static int pathRank(MatchConfig.PathType type) {
    return switch (type) {
      case Exact -> 0;
      case RegularExpression -> 1;
      case PathPrefix -> 2;
    };
  }
}
