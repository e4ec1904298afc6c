package dev.portico.operator.status;

import static dev.portico.api.common.Conditions.ACCEPTED;
import static dev.portico.api.common.Conditions.ENFORCED;
import static dev.portico.api.common.Conditions.FALSE;
import static dev.portico.api.common.Conditions.PROGRAMMED;
import static dev.portico.api.common.Conditions.READY;
import static dev.portico.api.common.Conditions.RESOLVED_REFS;
import static dev.portico.api.common.Conditions.TRUE;

import dev.portico.api.common.Conditions.Reasons;
import dev.portico.api.common.ResourceStatus;
import dev.portico.api.dataplane.DataPlane;
import dev.portico.api.dataplane.DataPlaneStatus;
import dev.portico.api.ratelimit.RateLimitPolicy;
import dev.portico.api.ratelimit.RateLimitPolicyStatus;
import dev.portico.api.route.GatewayRoute;
import dev.portico.api.route.GatewayRouteStatus;
import dev.portico.api.route.RouteParentStatus;
import dev.portico.compiler.CompileResult;
import dev.portico.compiler.ConditionVerdict;
import dev.portico.compiler.ObjectKey;
import dev.portico.compiler.ParentVerdict;
import dev.portico.compiler.Verdict;
import dev.portico.operator.compile.ProgramTracker;
import dev.portico.snapshot.Snapshot;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the status each object should carry from its verdict, the publication state and the status
 * it carries now. Reconcilers patch only when the result differs from the current status.
 */
public final class StatusWriter {
  private final Clock clock;
  private final ProgramTracker tracker;

  /** Routes per DataPlane, counted once per compile result rather than on every status pass. */
  private volatile AttachedRoutes attached;

  private record AttachedRoutes(CompileResult result, Map<String, Integer> byDataPlane) {}

  public StatusWriter(Clock clock, ProgramTracker tracker) {
    this.clock = clock;
    this.tracker = tracker;
  }

  public GatewayRouteStatus routeStatus(GatewayRoute route, Verdict verdict, CompileResult result) {
    GatewayRouteStatus current = route.getStatus();
    GatewayRouteStatus status = new GatewayRouteStatus();
    String now = now();
    status.observedGeneration = verdict.generation();
    status.conditions =
        summary(
            current,
            verdict,
            programmed(current, ObjectKey.of(GatewayRoute.KIND, route), verdict, result, "route"),
            null,
            null,
            now);
    for (int i = 0; i < verdict.parents().size(); i++) {
      ParentVerdict parent = verdict.parents().get(i);
      RouteParentStatus entry = new RouteParentStatus();
      entry.parentRef = parent.parentRef();
      List<Condition> before =
          current != null
                  && current.parents != null
                  && i < current.parents.size()
                  && Objects.equals(current.parents.get(i).parentRef, parent.parentRef())
              ? current.parents.get(i).conditions
              : List.of();
      entry.conditions =
          ConditionMerger.merge(before, parent.conditions(), verdict.generation(), now);
      status.parents.add(entry);
    }
    return status;
  }

  public RateLimitPolicyStatus policyStatus(
      RateLimitPolicy policy, Verdict verdict, CompileResult result) {
    RateLimitPolicyStatus status = new RateLimitPolicyStatus();
    status.observedGeneration = verdict.generation();
    ConditionVerdict programmed =
        programmed(
            policy.getStatus(),
            ObjectKey.of(RateLimitPolicy.KIND, policy),
            verdict,
            result,
            "policy");
    // The compiler says when no replica can enforce the policy (Global limits); otherwise it is
    // enforced exactly when it is programmed.
    ConditionVerdict enforced =
        verdict.condition(ENFORCED).orElseGet(() -> enforcedWhenProgrammed(programmed));
    status.conditions = summary(policy.getStatus(), verdict, programmed, enforced, null, now());
    return status;
  }

  private static ConditionVerdict enforcedWhenProgrammed(ConditionVerdict programmed) {
    return TRUE.equals(programmed.status())
        ? new ConditionVerdict(
            ENFORCED, TRUE, Reasons.ENFORCED, "every limit is enforced; " + programmed.message())
        : new ConditionVerdict(ENFORCED, FALSE, programmed.reason(), programmed.message());
  }

  /**
   * @param desiredReplicas replicas the DataPlane asks for
   * @param readyReplicas ready pods of its Deployment
   */
  public DataPlaneStatus dataPlaneStatus(
      DataPlane dataPlane,
      Verdict verdict,
      CompileResult result,
      int desiredReplicas,
      int readyReplicas) {
    String id = dataPlane.getMetadata().getNamespace() + "/" + dataPlane.getMetadata().getName();
    DataPlaneStatus status = new DataPlaneStatus();
    status.observedGeneration = verdict.generation();
    status.replicas = desiredReplicas;
    status.readyReplicas = readyReplicas;
    Snapshot snapshot = result.snapshots().get(id);
    status.snapshotVersion = snapshot == null ? null : snapshot.version();
    status.attachedRoutes = attachedRoutes(result, id);
    DataPlaneStatus current = dataPlane.getStatus();
    // While replicas reconnect to a new leader, keep the list they last reported, as Programmed
    // does: an operator restart then rewrites nothing.
    status.replicaSnapshots =
        current != null && tracker.publisher().reconnecting(id)
            ? current.replicaSnapshots
            : ReplicaSnapshots.of(tracker.publisher().replicas(id));
    ConditionVerdict replicasGate =
        readyReplicas >= Math.max(1, desiredReplicas)
            ? null
            : new ConditionVerdict(
                "Replicas",
                FALSE,
                Reasons.NOT_READY,
                readyReplicas
                    + " of "
                    + desiredReplicas
                    + " data-plane replicas are ready; see the Deployment "
                    + dataPlane.getMetadata().getName()
                    + "'s pods");
    status.conditions =
        summary(
            dataPlane.getStatus(),
            verdict,
            programmed(
                dataPlane.getStatus(),
                ObjectKey.of(DataPlane.KIND, dataPlane),
                verdict,
                result,
                "DataPlane"),
            null,
            replicasGate,
            now());
    return status;
  }

  private int attachedRoutes(CompileResult result, String dataPlane) {
    AttachedRoutes counted = attached;
    if (counted == null || counted.result() != result) {
      Map<String, Integer> byDataPlane = new HashMap<>();
      result
          .verdicts()
          .forEach(
              (key, verdict) -> {
                if (key.kind().equals(GatewayRoute.KIND)) {
                  List<String> dataPlanes = verdict.dataPlanes();
                  for (int i = 0; i < dataPlanes.size(); i++) {
                    if (dataPlanes.indexOf(dataPlanes.get(i)) == i) { // each DataPlane once
                      byDataPlane.merge(dataPlanes.get(i), 1, Integer::sum);
                    }
                  }
                }
              });
      counted = new AttachedRoutes(result, byDataPlane);
      attached = counted;
    }
    return counted.byDataPlane().getOrDefault(dataPlane, 0);
  }

  /** True when the current status already says what the desired one says. */
  public static boolean unchanged(ResourceStatus current, ResourceStatus desired) {
    return current != null
        && Serialization.jsonMapper()
            .valueToTree(current)
            .equals(Serialization.jsonMapper().valueToTree(desired));
  }

  private List<Condition> summary(
      ResourceStatus current,
      Verdict verdict,
      ConditionVerdict programmed,
      ConditionVerdict enforced,
      ConditionVerdict extraGate,
      String now) {
    List<ConditionVerdict> wanted = new ArrayList<>();
    wanted.add(orUnknown(verdict, ACCEPTED));
    wanted.add(orUnknown(verdict, RESOLVED_REFS));
    wanted.add(programmed);
    if (enforced != null) {
      wanted.add(enforced);
    }
    wanted.add(ready(wanted, extraGate));
    return ConditionMerger.merge(
        current == null ? List.of() : current.conditions, wanted, verdict.generation(), now);
  }

  private ConditionVerdict programmed(
      ResourceStatus current, ObjectKey key, Verdict verdict, CompileResult result, String what) {
    if (verdict.dataPlanes().isEmpty()) {
      return new ConditionVerdict(
          PROGRAMMED,
          FALSE,
          Reasons.PENDING,
          "the " + what + " is in no DataPlane's snapshot; see the Accepted condition");
    }
    List<String> waiting = new ArrayList<>();
    boolean reconnecting = false;
    for (String dataPlane : verdict.dataPlanes()) {
      Snapshot snapshot = result.snapshots().get(dataPlane);
      String want = snapshot == null ? null : snapshot.version();
      if (want == null) {
        waiting.add("DataPlane " + dataPlane + " has no snapshot");
      } else if (!tracker.programmed(key, dataPlane)) {
        waiting.add(tracker.publisher().pending(dataPlane, want));
        reconnecting |= tracker.publisher().reconnecting(dataPlane);
      }
    }
    if (!waiting.isEmpty()) {
      Condition kept =
          current == null ? null : ConditionMerger.find(current.conditions, PROGRAMMED);
      if (kept != null && reconnecting) {
        // Replicas are reconnecting to a new leader: keep what they last reported.
        return new ConditionVerdict(
            PROGRAMMED, kept.getStatus(), kept.getReason(), kept.getMessage());
      }
      return new ConditionVerdict(PROGRAMMED, FALSE, Reasons.PENDING, String.join("; ", waiting));
    }
    return new ConditionVerdict(
        PROGRAMMED,
        TRUE,
        Reasons.PROGRAMMED,
        "running on the replicas of DataPlane " + String.join(", ", verdict.dataPlanes()));
  }

  private static ConditionVerdict ready(List<ConditionVerdict> gates, ConditionVerdict extra) {
    List<ConditionVerdict> all = new ArrayList<>(gates);
    if (extra != null) {
      all.add(extra);
    }
    for (ConditionVerdict gate : all) {
      if (!TRUE.equals(gate.status())) {
        return new ConditionVerdict(
            READY,
            FALSE,
            Reasons.NOT_READY,
            gate.type() + " is " + gate.status() + " (" + gate.reason() + "): " + gate.message());
      }
    }
    return new ConditionVerdict(
        READY, TRUE, Reasons.READY, "accepted, references resolved and programmed");
  }

  private static ConditionVerdict orUnknown(Verdict verdict, String type) {
    return verdict
        .condition(type)
        .orElse(
            new ConditionVerdict(
                type, dev.portico.api.common.Conditions.UNKNOWN, Reasons.PENDING, "not decided"));
  }

  private String now() {
    return DateTimeFormatter.ISO_INSTANT.format(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS));
  }
}
