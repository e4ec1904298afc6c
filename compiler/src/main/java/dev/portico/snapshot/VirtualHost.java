package dev.portico.snapshot;

import java.util.List;

/**
 * The routes of one hostname on one listener, in matching precedence order: the first entry whose
 * match holds wins.
 *
 * @param hostname an exact lower-case name, a {@code *.suffix} wildcard, or {@code *} for any
 */
public record VirtualHost(String hostname, List<RouteEntry> routes) {
  public VirtualHost {
    routes = Lists.copy(routes);
  }
}
