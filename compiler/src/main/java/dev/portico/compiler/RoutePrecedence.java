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

  static final Comparator<Claim> ORDER =
      Comparator.comparingInt((Claim c) -> pathRank(c.match.pathType()))
          .thenComparing(c -> c.match.path().length(), Comparator.reverseOrder())
          .thenComparing(c -> c.match.path())
          .thenComparing(c -> c.match.method() == null)
          .thenComparing(c -> c.match.headers().size(), Comparator.reverseOrder())
          .thenComparing(c -> c.match.queryParams().size(), Comparator.reverseOrder())
          .thenComparing(c -> c.route, ConflictPass.ROUTE_AGE)
          .thenComparingInt(c -> c.ruleIndex)
          .thenComparingInt(c -> c.matchIndex)
          .thenComparing(c -> c.matchKey);

  private static int pathRank(MatchConfig.PathType type) {
    return switch (type) {
      case Exact -> 0;
      case RegularExpression -> 1;
      case PathPrefix -> 2;
    };
  }
}
