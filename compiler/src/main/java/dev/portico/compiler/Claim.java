package dev.portico.compiler;

import dev.portico.snapshot.MatchConfig;

/**
 * One rule match claiming a (DataPlane, listener, hostname) triple. Two claims with the same triple
 * and match key conflict; the conflict pass drops the newer route's.
 */
final class Claim {
  final RouteState route;
  final String dataPlane;
  final String listener;
  final String hostname;
  final int ruleIndex;
  final int matchIndex;
  final MatchConfig match;
  final String matchKey;
  boolean dropped;

  /** The slot two claims must share to conflict: DataPlane, listener, hostname and match key. */
  final String slot;

  Claim(
      RouteState route,
      String dataPlane,
      String listener,
      String hostname,
      int ruleIndex,
      int matchIndex,
      MatchConfig match) {
    this(
        route,
        dataPlane,
        listener,
        hostname,
        ruleIndex,
        matchIndex,
        match,
        MatchKeys.of(match),
        null);
  }

  /**
   * A claim restored from the route memo, whose key and slot were computed when it was first made
   * (a null slot is computed here): 5,000 restored routes would otherwise build 5,000 strings per
   * compile.
   */
  Claim(
      RouteState route,
      String dataPlane,
      String listener,
      String hostname,
      int ruleIndex,
      int matchIndex,
      MatchConfig match,
      String matchKey,
      String slot) {
    this.route = route;
    this.dataPlane = dataPlane;
    this.listener = listener;
    this.hostname = hostname;
    this.ruleIndex = ruleIndex;
    this.matchIndex = matchIndex;
    this.match = match;
    this.matchKey = matchKey;
    this.slot = slot != null ? slot : dataPlane + "|" + listener + "|" + hostname + "|" + matchKey;
  }
}
