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

  Claim(
      RouteState route,
      String dataPlane,
      String listener,
      String hostname,
      int ruleIndex,
      int matchIndex,
      MatchConfig match) {
    this.route = route;
    this.dataPlane = dataPlane;
    this.listener = listener;
    this.hostname = hostname;
    this.ruleIndex = ruleIndex;
    this.matchIndex = matchIndex;
    this.match = match;
    this.matchKey = MatchKeys.of(match);
  }

  /** The slot two claims must share to conflict. */
  String slot() {
    return dataPlane + "|" + listener + "|" + hostname + "|" + matchKey;
  }
}
