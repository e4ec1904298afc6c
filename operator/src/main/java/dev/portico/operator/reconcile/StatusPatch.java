package dev.portico.operator.reconcile;

import dev.portico.api.common.ResourceStatus;
import dev.portico.compiler.CompileResult;
import dev.portico.compiler.ObjectKey;
import dev.portico.compiler.Verdict;
import dev.portico.operator.admin.OperatorMetrics;
import dev.portico.operator.compile.CompileLoop;
import dev.portico.operator.status.EventRecorder;
import dev.portico.operator.status.StatusWriter;
import dev.portico.operator.status.Transition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The status step the reconcilers share: find the verdict, patch only what changed. */
final class StatusPatch {
  private final CompileLoop loop;
  private final EventRecorder events;
  private final OperatorMetrics metrics;

  StatusPatch(CompileLoop loop, EventRecorder events, OperatorMetrics metrics) {
    this.loop = loop;
    this.events = events;
    this.metrics = metrics;
  }

  record Decided(CompileResult result, Verdict verdict) {}

  /**
   * The latest verdict for the object, if the latest compile saw its current generation and its
   * status pass is not held for the replicas' answer ({@link CompileLoop#held}). Otherwise empty:
   * the compile that sees it, the answer or the hold's end will trigger another reconcile.
   */
  Optional<Decided> decided(String kind, CustomResource<?, ?> object) {
    Optional<CompileResult> result = loop.latest();
    if (result.isEmpty()) {
      return Optional.empty();
    }
    ObjectKey key = ObjectKey.of(kind, object);
    if (loop.held(key)) {
      return Optional.empty(); // the replicas' answer, or the hold's end, triggers the pass
    }
    Verdict verdict = result.get().verdict(key);
    Long generation = object.getMetadata().getGeneration();
    if (verdict == null
        || (generation != null
            && (verdict.generation() == null || verdict.generation() < generation))) {
      return Optional.empty();
    }
    return Optional.of(new Decided(result.get(), verdict));
  }

  /**
   * A patch carrying only name, namespace and the new status when it differs from the current one,
   * applied server-side so the operator owns status and nothing else; otherwise no write.
   */
  <S extends ResourceStatus, P extends CustomResource<?, S>> UpdateControl<P> ifChanged(
      P current, S desired, Supplier<P> fresh) {
    S before = current.getStatus();
    if (StatusWriter.unchanged(before, desired)) {
      return UpdateControl.noUpdate();
    }
    P patch = fresh.get();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(current.getMetadata().getName())
            .withNamespace(current.getMetadata().getNamespace())
            .build());
    patch.setStatus(desired);
    events.record(
        current,
        Transition.between(before == null ? List.of() : before.conditions, desired.conditions));
    metrics.statusWritten(current.getKind());
    return UpdateControl.patchStatus(patch);
  }
}
