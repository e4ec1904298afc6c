package dev.portico.operator.reconcile;

import dev.portico.api.ratelimit.RateLimitPolicy;
import dev.portico.api.ratelimit.RateLimitPolicyStatus;
import dev.portico.operator.compile.CompileLoop;
import dev.portico.operator.status.StatusWriter;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.util.List;

/** Writes each RateLimitPolicy's status from the latest compile. */
@ControllerConfiguration(name = "ratelimitpolicies")
public final class RateLimitPolicyReconciler implements Reconciler<RateLimitPolicy> {
  private final StatusPatch status;
  private final StatusWriter writer;
  private final SimpleInboundEventSource<RateLimitPolicy> compiled;

  RateLimitPolicyReconciler(CompileLoop loop, StatusPatch status, StatusWriter writer) {
    this.status = status;
    this.writer = writer;
    this.compiled = CompiledEventSource.forKind(loop, RateLimitPolicy.KIND);
  }

  @Override
  public List<EventSource<?, RateLimitPolicy>> prepareEventSources(
      EventSourceContext<RateLimitPolicy> context) {
    return List.of(compiled);
  }

  @Override
  public UpdateControl<RateLimitPolicy> reconcile(
      RateLimitPolicy policy, Context<RateLimitPolicy> context) {
    return status
        .decided(RateLimitPolicy.KIND, policy)
        .map(
            d -> {
              RateLimitPolicyStatus desired = writer.policyStatus(policy, d.verdict(), d.result());
              return status.ifChanged(policy, desired, RateLimitPolicy::new);
            })
        .orElseGet(UpdateControl::noUpdate);
  }
}
