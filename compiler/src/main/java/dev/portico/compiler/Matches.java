package dev.portico.compiler;

import dev.portico.api.route.HeaderMatch;
import dev.portico.api.route.PathMatch;
import dev.portico.api.route.QueryParamMatch;
import dev.portico.api.route.RouteMatch;
import dev.portico.api.route.RouteRule;
import dev.portico.api.route.StringMatchType;
import dev.portico.snapshot.MatchConfig;
import dev.portico.snapshot.MatchConfig.PathType;
import dev.portico.snapshot.MatchConfig.ValueMatch;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Translates API matches into snapshot matches, in canonical form. */
final class Matches {
  private static final Comparator<ValueMatch> VALUE_ORDER =
      Comparator.comparing(ValueMatch::name)
          .thenComparing(ValueMatch::value)
          .thenComparing(ValueMatch::regex);

  private Matches() {}

  /** A rule's matches; a rule without matches matches every request. */
  static List<RouteMatch> of(RouteRule rule) {
    if (rule.matches == null || rule.matches.isEmpty()) {
      return List.of(new RouteMatch());
    }
    return rule.matches;
  }

  static MatchConfig translate(RouteMatch m) {
    PathMatch path = m.path == null ? new PathMatch() : m.path;
    PathType type = path.type == null ? PathType.PathPrefix : PathType.valueOf(path.type.name());
    String value = path.value == null ? "/" : path.value;
    if (type == PathType.PathPrefix && value.length() > 1 && value.endsWith("/")) {
      // "/foo/" and "/foo" match the same requests (prefixes are whole segments).
      value = value.substring(0, value.length() - 1);
    }
    List<ValueMatch> headers =
        m.headers == null
            ? List.of()
            : m.headers.stream()
                .map(h -> new ValueMatch(h.name.toLowerCase(Locale.ROOT), h.value, isRegex(h)))
                .sorted(VALUE_ORDER)
                .toList();
    List<ValueMatch> query =
        m.queryParams == null
            ? List.of()
            : m.queryParams.stream()
                .map(q -> new ValueMatch(q.name, q.value, isRegex(q)))
                .sorted(VALUE_ORDER)
                .toList();
    String method = m.method == null ? null : m.method.name();
    return new MatchConfig(type, value, method, headers, query);
  }

  private static boolean isRegex(HeaderMatch h) {
    return h.type == StringMatchType.RegularExpression;
  }

  private static boolean isRegex(QueryParamMatch q) {
    return q.type == StringMatchType.RegularExpression;
  }
}
