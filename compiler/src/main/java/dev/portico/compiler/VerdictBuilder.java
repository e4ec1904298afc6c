package dev.portico.compiler;

import static dev.portico.api.common.Conditions.ACCEPTED;
import static dev.portico.api.common.Conditions.ENFORCED;
import static dev.portico.api.common.Conditions.FALSE;
import static dev.portico.api.common.Conditions.RESOLVED_REFS;
import static dev.portico.api.common.Conditions.TRUE;

import dev.portico.api.common.Conditions.Reasons;
import dev.portico.api.ratelimit.RateLimit;
import dev.portico.api.route.ParentRef;
import dev.portico.snapshot.Snapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Turns the problems the passes recorded into conditions: the last step of compilation. Remembers
 * the previous compile's verdicts, to say which changed and to build the next map from it: an edit
 * among 5,000 routes puts one verdict instead of 5,000.
 */
final class VerdictBuilder {
  /**
   * This compile's verdicts (a view of the builder's map, valid until its next build: copy it),
   * which of them are new or changed, and which keys are gone.
   */
  record Verdicts(
      SortedMap<ObjectKey, Verdict> all,
      SortedSet<ObjectKey> changed,
      SortedSet<ObjectKey> removed) {}

  /**
   * The previous compile's verdicts, updated in place: handed out only as a view that {@link
   * CompileResult} copies.
   */
  private final TreeMap<ObjectKey, Verdict> previous = new TreeMap<>();

  Verdicts build(CompilationContext ctx) {
    TreeMap<ObjectKey, Verdict> changes = new TreeMap<>();
    int stillThere = 0; // keys of the previous compile that this one has too
    for (DataPlaneState dp : ctx.dataPlanes.values()) {
      stillThere += put(changes, dp.key, dataPlane(dp, ctx.snapshots));
    }
    for (RouteState route : ctx.routes.values()) {
      Verdict before = route.restored() ? route.memo.verdict : null;
      Verdict verdict = remembered(route);
      if (before == null) {
        stillThere += put(changes, route.key, verdict);
      } else {
        // A restored route was in the previous compile, with the verdict its memo kept.
        stillThere++;
        if (verdict != before && !verdict.equals(before)) {
          changes.put(route.key, verdict);
        }
      }
    }
    for (PolicyState policy : ctx.policies.values()) {
      List<Problem> targetProblems =
          policy.problems.stream()
              .filter(p -> Reasons.TARGET_NOT_FOUND.equals(p.reason()))
              .toList();
      List<ConditionVerdict> conditions = new ArrayList<>();
      conditions.add(
          policy.accepted()
              ? accepted("policy attached to its target")
              : refused(ACCEPTED, policy.problems));
      conditions.add(
          targetProblems.isEmpty()
              ? new ConditionVerdict(RESOLVED_REFS, TRUE, Reasons.RESOLVED_REFS, "target resolved")
              : refused(RESOLVED_REFS, targetProblems));
      List<String> global =
          policy.resource.getSpec().limits.stream()
              .filter(l -> l.scope == RateLimit.Scope.Global)
              .map(l -> l.name)
              .toList();
      List<String> storeless = global.isEmpty() ? List.of() : withoutStore(ctx, policy);
      if (!storeless.isEmpty()) {
        // Decided here, not from replica acks: no replica can count these whatever it runs.
        conditions.add(
            new ConditionVerdict(
                ENFORCED,
                FALSE,
                Reasons.GLOBAL_STORE_UNAVAILABLE,
                "Global limits ("
                    + String.join(", ", global)
                    + ") cannot be counted: "
                    + String.join("; ", storeless)
                    + ". Until then they decide by their failurePolicy (Open admits, Closed"
                    + " answers 503)."));
      }
      stillThere +=
          put(
              changes,
              policy.key,
              new Verdict(
                  policy.resource.getMetadata().getGeneration(),
                  conditions,
                  List.of(),
                  List.copyOf(policy.dataPlanes)));
    }
    SortedSet<ObjectKey> removed = new TreeSet<>();
    if (stillThere < previous.size()) {
      for (ObjectKey key : previous.keySet()) {
        if (!present(ctx, key)) {
          removed.add(key);
        }
      }
    }
    return next(changes, removed);
  }

  /**
   * The verdicts of a route delta ({@link RouteDeltaCompile}): the DataPlanes' (their snapshot
   * versions changed), the changed and new routes', and the deleted routes' keys gone; every other
   * verdict is the previous compile's, whose inputs the delta left as they were.
   */
  Verdicts patch(
      Collection<DataPlaneState> dataPlanes,
      Map<String, Snapshot> snapshots,
      Collection<RouteState> routes,
      Collection<ObjectKey> deleted) {
    TreeMap<ObjectKey, Verdict> changes = new TreeMap<>();
    for (DataPlaneState dp : dataPlanes) {
      put(changes, dp.key, dataPlane(dp, snapshots));
    }
    for (RouteState route : routes) {
      put(changes, route.key, remembered(route));
    }
    SortedSet<ObjectKey> removed = new TreeSet<>();
    for (ObjectKey key : deleted) {
      if (previous.containsKey(key)) {
        removed.add(key);
      }
    }
    return next(changes, removed);
  }

  private Verdicts next(TreeMap<ObjectKey, Verdict> changes, SortedSet<ObjectKey> removed) {
    // In place: every CompileResult copies the verdicts it is given, so none sees this map change.
    previous.keySet().removeAll(removed);
    previous.putAll(changes);
    return new Verdicts(
        Collections.unmodifiableSortedMap(previous), changes.navigableKeySet(), removed);
  }

  private static Verdict dataPlane(DataPlaneState dp, Map<String, Snapshot> snapshots) {
    List<ConditionVerdict> conditions =
        List.of(
            dp.accepted()
                ? accepted(
                    "DataPlane is valid; its snapshot is " + snapshots.get(dp.id()).version())
                : refused(ACCEPTED, dp.problems),
            resolvedRefs(dp));
    return new Verdict(
        dp.resource.getMetadata().getGeneration(),
        conditions,
        List.of(),
        dp.accepted() ? List.of(dp.id()) : List.of());
  }

  /** Records the verdict when it is new or differs; returns 1 when the key was there before. */
  private int put(TreeMap<ObjectKey, Verdict> changes, ObjectKey key, Verdict verdict) {
    Verdict before = previous.get(key);
    if (!verdict.equals(before)) {
      changes.put(key, verdict);
    }
    return before == null ? 0 : 1;
  }

  private static boolean present(CompilationContext ctx, ObjectKey key) {
    String id = key.namespacedName();
    return switch (key.kind()) {
      case "DataPlane" -> ctx.dataPlanes.containsKey(id);
      case "GatewayRoute" -> ctx.routes.containsKey(id);
      default -> ctx.policies.containsKey(id);
    };
  }

  /** A route's verdict depends on its own results, its conflicts and where it is programmed. */
  private static Verdict remembered(RouteState route) {
    RouteMemo.Entry memo = route.memo;
    if (memo != null && memo.verdict != null && memo.verdictInputsAre(route)) {
      return memo.verdict;
    }
    Verdict verdict = route(route);
    if (memo != null) {
      memo.rememberVerdict(route, verdict);
    }
    return verdict;
  }

  private static Verdict route(RouteState route) {
    Long generation = route.resource.getMetadata().getGeneration();
    List<ParentRef> refs =
        route.resource.getSpec() == null || route.resource.getSpec().parentRefs == null
            ? List.of()
            : route.resource.getSpec().parentRefs;
    List<Problem> refProblems = new ArrayList<>(route.refProblems);
    refProblems.addAll(route.securityProblems);
    ConditionVerdict resolved =
        refProblems.isEmpty()
            ? new ConditionVerdict(
                RESOLVED_REFS, TRUE, Reasons.RESOLVED_REFS, "all backends resolved")
            : refused(RESOLVED_REFS, refProblems);
    List<ParentVerdict> parents = new ArrayList<>();
    List<Problem> parentProblems = new ArrayList<>();
    for (int i = 0; i < refs.size(); i++) {
      Problem problem =
          !route.valid()
              ? route.invalid.get(0)
              : i < route.parentOutcomes.size() ? route.parentOutcomes.get(i) : null;
      if (problem != null) {
        parentProblems.add(problem);
      }
      ConditionVerdict accepted =
          problem == null
              ? accepted("route attached to DataPlane " + refs.get(i).name)
              : refused(ACCEPTED, List.of(problem));
      parents.add(new ParentVerdict(refs.get(i), List.of(accepted, resolved)));
    }
    ConditionVerdict accepted;
    if (!route.valid()) {
      accepted = refused(ACCEPTED, route.invalid);
    } else if (!parentProblems.isEmpty()) {
      accepted = refused(ACCEPTED, parentProblems);
    } else if (!route.conflicts.isEmpty()) {
      accepted =
          new ConditionVerdict(
              ACCEPTED,
              FALSE,
              Reasons.CONFLICTED,
              join(route.conflicts)
                  + (route.dataPlanes.isEmpty()
                      ? "; no other match of the route is left to program"
                      : "; the route's other matches are programmed"));
    } else {
      accepted = accepted("route attached to all its parents");
    }
    return new Verdict(
        generation, List.of(accepted, resolved), parents, route.dataPlanes.stream().toList());
  }

  /**
   * Why the DataPlanes the policy is programmed on cannot count its Global limits, if they can't.
   */
  private static List<String> withoutStore(CompilationContext ctx, PolicyState policy) {
    List<String> reasons = new ArrayList<>();
    for (String id : policy.dataPlanes) {
      DataPlaneState dp = ctx.dataPlanes.get(id);
      if (dp == null || dp.redis != null) {
        continue;
      }
      reasons.add(
          "DataPlane "
              + id
              + (dp.redisProblem != null
                  ? "'s Redis is unusable: " + dp.redisProblem
                  : " has no Redis store (spec.redis)"));
    }
    return reasons;
  }

  private static ConditionVerdict resolvedRefs(DataPlaneState dp) {
    if (!dp.refProblems.isEmpty()) {
      return refused(RESOLVED_REFS, dp.refProblems);
    }
    return new ConditionVerdict(
        RESOLVED_REFS,
        TRUE,
        Reasons.RESOLVED_REFS,
        dp.hasCertificateRefs
                || dp.redis != null && dp.redis.passwordSecret() != null
                || !SecurityTranslator.refs(dp.security).isEmpty()
            ? "all Secret references resolved"
            : "no references to resolve");
  }

  private static ConditionVerdict accepted(String message) {
    return new ConditionVerdict(ACCEPTED, TRUE, Reasons.ACCEPTED, message);
  }

  /** The first problem's reason; every message, so one status shows everything to fix. */
  private static ConditionVerdict refused(String type, List<Problem> problems) {
    return new ConditionVerdict(
        type,
        FALSE,
        problems.get(0).reason(),
        join(problems.stream().map(Problem::message).distinct().toList()));
  }

  private static String join(Collection<String> messages) {
    return messages.stream().collect(Collectors.joining("; "));
  }
}
