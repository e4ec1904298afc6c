package dev.portico.dataplane.routing;

import com.google.re2j.Pattern;
import dev.portico.snapshot.ListenerConfig;
import dev.portico.snapshot.MatchConfig;
import dev.portico.snapshot.MatchConfig.PathType;
import dev.portico.snapshot.MatchConfig.ValueMatch;
import dev.portico.snapshot.RouteEntry;
import dev.portico.snapshot.VirtualHost;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The routing semantics written as plainly as possible, for {@link RouteTable} to be checked
 * against: walk the virtual hosts that cover the host in list order, walk their entries in list
 * order, the first that matches wins. No index; patterns are only cached to keep the test fast.
 */
final class ReferenceMatcher {
  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  private ReferenceMatcher() {}

  private static boolean wholly(String regex, String value) {
    return PATTERNS.computeIfAbsent(regex, Pattern::compile).matcher(value).matches();
  }

  /** The winning virtual host's name and entry. */
  record Hit(String virtualHost, RouteEntry entry) {}

  static Hit match(ListenerConfig listener, String host, RequestView request) {
    String name = requestHost(host);
    for (VirtualHost vh : listener.virtualHosts()) {
      if (!covers(vh.hostname().toLowerCase(Locale.ROOT), name)) {
        continue;
      }
      for (RouteEntry e : vh.routes()) {
        if (matches(e.match(), request)) {
          return new Hit(vh.hostname(), e);
        }
      }
    }
    return null;
  }

  /** The host name without port or trailing dot, lower-case; null when there is none. */
  static String requestHost(String host) {
    if (host == null) {
      return null;
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      return h.contains("]") ? h.substring(0, h.indexOf(']') + 1) : null;
    }
    if (h.contains(":")) {
      h = h.substring(0, h.indexOf(':'));
    }
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return h.isEmpty() ? null : h;
  }

  static boolean covers(String vhost, String host) {
    if (vhost.equals("*")) {
      return true;
    }
    if (host == null) {
      return false;
    }
    if (vhost.startsWith("*.")) {
      String suffix = vhost.substring(1);
      return host.endsWith(suffix) && host.length() > suffix.length();
    }
    return vhost.equals(host);
  }

  static boolean matches(MatchConfig m, RequestView r) {
    String path = r.path();
    boolean pathHolds =
        switch (m.pathType()) {
          case Exact -> path.equals(m.path());
          case PathPrefix -> {
            String prefix = stripTrailingSlashes(m.path());
            yield path.equals(prefix) || path.startsWith(prefix + "/");
          }
          case RegularExpression -> wholly(m.path(), path);
        };
    return pathHolds
        && (m.method() == null || m.method().equals(r.method()))
        && all(m.headers(), r::header)
        && all(m.queryParams(), r::queryParam);
  }

  /** The length of the prefix a PathPrefix match covers. */
  static int prefixLength(MatchConfig m, String path) {
    if (m.pathType() == PathType.RegularExpression) {
      return -1;
    }
    return m.pathType() == PathType.Exact ? path.length() : stripTrailingSlashes(m.path()).length();
  }

  private static String stripTrailingSlashes(String prefix) {
    String p = prefix;
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  private static boolean all(List<ValueMatch> conditions, Function<String, String> lookup) {
    for (ValueMatch c : conditions) {
      String actual = lookup.apply(c.name());
      boolean holds =
          actual != null && (c.regex() ? wholly(c.value(), actual) : c.value().equals(actual));
      if (!holds) {
        return false;
      }
    }
    return true;
  }
}
