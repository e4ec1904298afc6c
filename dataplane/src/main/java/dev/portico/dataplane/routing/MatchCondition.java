package dev.portico.dataplane.routing;

import dev.portico.snapshot.MatchConfig;
import dev.portico.snapshot.MatchConfig.PathType;
import dev.portico.snapshot.RouteEntry;
import java.util.List;

/**
 * A match tested on its own, outside a route table: what a rate limit's {@code when} conditions
 * are. It means what the same match means on a rule (path on the normalized path, whole segments
 * for prefixes, RE2J for expressions; method, headers and query parameters alike).
 */
public final class MatchCondition {
  private final CompiledRoute compiled;

  private MatchCondition(CompiledRoute compiled) {
    this.compiled = compiled;
  }

  /**
   * @param where names the condition in the error when a pattern does not compile
   * @throws InvalidRouteException when a regular expression cannot be compiled by RE2J
   */
  public static MatchCondition of(MatchConfig match, String where) {
    return new MatchCondition(new CompiledRoute(new RouteEntry(match, where), 0, where));
  }

  /** True when any of {@code conditions} holds, or when there are none. */
  public static boolean anyHolds(MatchCondition[] conditions, RequestView request) {
    if (conditions.length == 0) {
      return true;
    }
    for (MatchCondition c : conditions) {
      if (c.holds(request)) {
        return true;
      }
    }
    return false;
  }

  /** Compiles each of {@code matches}. */
  public static MatchCondition[] all(List<MatchConfig> matches, String where) {
    MatchCondition[] out = new MatchCondition[matches.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = of(matches.get(i), where + ".when[" + i + "]");
    }
    return out;
  }

  public boolean holds(RequestView request) {
    return pathHolds(request.path()) && compiled.conditionsHold(request);
  }

  private boolean pathHolds(String path) {
    PathType type = compiled.pathType;
    if (type == PathType.RegularExpression) {
      return compiled.pathPattern.matches(path);
    }
    if (type == PathType.Exact) {
      return compiled.path.equals(path);
    }
    String prefix = compiled.path; // without a trailing slash; "" for "/"
    return path.startsWith(prefix)
        && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
  }
}
