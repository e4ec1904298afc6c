package dev.portico.dataplane.routing;

import dev.portico.snapshot.ListenerConfig;
import dev.portico.snapshot.MatchConfig;
import dev.portico.snapshot.MatchConfig.PathType;
import dev.portico.snapshot.MatchConfig.ValueMatch;
import dev.portico.snapshot.RouteEntry;
import dev.portico.snapshot.VirtualHost;
import java.util.List;

/** Short constructors for snapshot pieces in routing tests. */
final class Routes {
  private Routes() {}

  static RouteEntry exact(String path, String rule) {
    return entry(PathType.Exact, path, rule);
  }

  static RouteEntry prefix(String path, String rule) {
    return entry(PathType.PathPrefix, path, rule);
  }

  static RouteEntry regex(String path, String rule) {
    return entry(PathType.RegularExpression, path, rule);
  }

  static RouteEntry entry(PathType type, String path, String rule) {
    return new RouteEntry(new MatchConfig(type, path, null, List.of(), List.of()), rule);
  }

  static RouteEntry withConditions(
      RouteEntry e, String method, List<ValueMatch> headers, List<ValueMatch> query) {
    MatchConfig m = e.match();
    return new RouteEntry(
        new MatchConfig(m.pathType(), m.path(), method, headers, query), e.rule());
  }

  static ValueMatch is(String name, String value) {
    return new ValueMatch(name, value, false);
  }

  static ValueMatch like(String name, String regex) {
    return new ValueMatch(name, regex, true);
  }

  static VirtualHost vhost(String hostname, RouteEntry... routes) {
    return new VirtualHost(hostname, List.of(routes));
  }

  static RouteTable table(VirtualHost... vhosts) {
    return RouteTable.of(listener(vhosts));
  }

  static ListenerConfig listener(VirtualHost... vhosts) {
    return new ListenerConfig("http", 8080, "HTTP", List.of(), List.of(vhosts));
  }
}
