package dev.portico.compiler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves claims on the same (DataPlane, listener, hostname, match): the oldest route wins, then
 * the lower namespace/name. Only the loser's conflicting matches are dropped; its other matches and
 * rules keep working. Within one route, the earlier rule keeps the match (rule order).
 */
final class ConflictPass implements CompilerPass {
  static final Comparator<RouteState> ROUTE_AGE =
      Comparator.comparing((RouteState r) -> r.created).thenComparing(RouteState::id);

  private static final Comparator<Claim> CLAIM_ORDER =
      Comparator.comparing((Claim c) -> c.route, ROUTE_AGE)
          .thenComparingInt(c -> c.ruleIndex)
          .thenComparingInt(c -> c.matchIndex);

  @Override
  public void apply(CompilationContext ctx) {
    Map<String, List<Claim>> bySlot = new LinkedHashMap<>();
    for (Claim claim : ctx.claims) {
      bySlot.computeIfAbsent(claim.slot, s -> new ArrayList<>()).add(claim);
    }
    for (List<Claim> slot : bySlot.values()) {
      if (slot.size() < 2) {
        continue;
      }
      slot.sort(CLAIM_ORDER);
      Claim winner = slot.get(0);
      for (Claim loser : slot.subList(1, slot.size())) {
        loser.dropped = true;
        if (loser.route != winner.route) {
          loser.route.conflicts.add(
              "match "
                  + loser.matchKey
                  + " on host "
                  + loser.hostname
                  + " (DataPlane "
                  + loser.dataPlane
                  + ", listener "
                  + loser.listener
                  + ") is served by "
                  + (winner.route.created.equals(loser.route.created)
                      ? "route " + winner.route.id() + ", as old and first by namespace/name"
                      : "the older route " + winner.route.id()));
        }
      }
    }
    ctx.claims.removeIf(c -> c.dropped);
    ctx.claimsBySlot = bySlot;
  }
}
