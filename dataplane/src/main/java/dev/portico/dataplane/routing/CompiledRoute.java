package dev.portico.dataplane.routing;

import com.google.re2j.Pattern;
import dev.portico.snapshot.MatchConfig;
import dev.portico.snapshot.MatchConfig.PathType;
import dev.portico.snapshot.RouteEntry;
import java.util.List;

/**
 * One {@link RouteEntry} ready to test: its path in canonical form, its patterns compiled, and its
 * precedence among the virtual host's entries. The prepared parts depend on the entry alone, so a
 * new index of the host reuses them ({@link #withOrdinal}) for every entry object it already had.
 */
final class CompiledRoute {
  /**
   * Precedence: lower wins. Increases along the virtual host's list, with gaps ({@link
   * HostRoutes#SPACING}) so that an entry inserted later fits between its neighbours.
   */
  final int ordinal;

  final PathType pathType;

  /** Exact: the path. PathPrefix: the prefix without a trailing slash, "" for {@code /}. */
  final String path;

  /** RegularExpression only. */
  final Pattern pathPattern;

  final RouteMatch result;
  private final String method;
  private final ValueCondition[] headers;
  private final ValueCondition[] queryParams;

  CompiledRoute(RouteEntry entry, int ordinal, String virtualHost) {
    MatchConfig m = entry.match();
    String where = "virtual host '" + virtualHost + "', rule " + entry.rule();
    this.ordinal = ordinal;
    this.pathType = pathType(m);
    this.method = m.method();
    this.headers = conditions(m.headers(), where + ", header");
    this.queryParams = conditions(m.queryParams(), where + ", query parameter");
    if (pathType == PathType.RegularExpression) {
      this.path = m.path();
      this.pathPattern = Patterns.compile(m.path(), where + ", path");
      this.result = new RouteMatch(entry, virtualHost, -1);
    } else {
      String canonical = PathNormalizer.canonicalEscapes(m.path() == null ? "/" : m.path());
      this.path = pathType == PathType.PathPrefix ? prefixKey(canonical) : canonical;
      this.pathPattern = null;
      this.result = new RouteMatch(entry, virtualHost, path.length());
    }
  }

  private CompiledRoute(CompiledRoute prepared, int ordinal) {
    this.ordinal = ordinal;
    this.pathType = prepared.pathType;
    this.path = prepared.path;
    this.pathPattern = prepared.pathPattern;
    this.result = prepared.result;
    this.method = prepared.method;
    this.headers = prepared.headers;
    this.queryParams = prepared.queryParams;
  }

  /** The same prepared entry at another precedence. */
  CompiledRoute withOrdinal(int newOrdinal) {
    return newOrdinal == ordinal ? this : new CompiledRoute(this, newOrdinal);
  }

  RouteEntry entry() {
    return result.entry();
  }

  /** A missing type reads as PathPrefix, as the API defaults it. */
  static PathType pathType(MatchConfig m) {
    return m.pathType() == null ? PathType.PathPrefix : m.pathType();
  }

  /**
   * Prefixes match whole segments and ignore a trailing slash ({@code /foo/} is {@code /foo}), so
   * the key is the prefix without it; {@code /} becomes "", the prefix of every path.
   */
  static String prefixKey(String prefix) {
    int end = prefix.length();
    while (end > 0 && prefix.charAt(end - 1) == '/') {
      end--;
    }
    return prefix.substring(0, end);
  }

  /** Method, headers and query parameters: everything but the path, which the index checked. */
  boolean conditionsHold(RequestView request) {
    if (method != null && !method.equals(request.method())) {
      return false;
    }
    for (ValueCondition h : headers) {
      if (!h.holds(request.header(h.name))) {
        return false;
      }
    }
    for (ValueCondition q : queryParams) {
      if (!q.holds(request.queryParam(q.name))) {
        return false;
      }
    }
    return true;
  }

  private static ValueCondition[] conditions(List<MatchConfig.ValueMatch> matches, String where) {
    ValueCondition[] out = new ValueCondition[matches.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ValueCondition.of(matches.get(i), where + " '" + matches.get(i).name() + "'");
    }
    return out;
  }
}
