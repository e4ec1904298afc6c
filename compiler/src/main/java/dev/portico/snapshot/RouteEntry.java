package dev.portico.snapshot;

/**
 * One match of one rule on one virtual host.
 *
 * @param rule id of the {@link RuleConfig} that handles a matching request
 */
public record RouteEntry(MatchConfig match, String rule) {}
