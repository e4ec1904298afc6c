package dev.portico.dataplane.routing;

import dev.portico.snapshot.RouteEntry;

/**
 * What {@link RouteTable#match} found: the entry whose rule now handles the request. Built with the
 * table, so a lookup returns it without allocating.
 *
 * @param virtualHost the hostname of the virtual host that matched ({@code *.example.com}, ...)
 * @param prefixLength for a PathPrefix match, how many leading characters of the normalized path
 *     the prefix covered, such that the rest is empty or starts with {@code /} ({@code /} covers 0,
 *     {@code /api} covers 4): what a ReplacePrefixMatch rewrite replaces. For an Exact match the
 *     whole path's length; for a regular expression -1.
 */
public record RouteMatch(RouteEntry entry, String virtualHost, int prefixLength) {
  /** The id of the {@link dev.portico.snapshot.RuleConfig} that handles the request. */
  public String rule() {
    return entry.rule();
  }
}
