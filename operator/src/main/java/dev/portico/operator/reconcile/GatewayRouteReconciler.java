package dev.portico.operator.reconcile;

import dev.portico.api.route.GatewayRoute;
import dev.portico.api.route.GatewayRouteStatus;
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

/**
 * Writes each GatewayRoute's status from the latest compile. Spec changes reach the compiler
 * through the resource index; this reconciler runs when the route's verdict changes.
 */
@ControllerConfiguration(name = "gatewayroutes")
public final class GatewayRouteReconciler implements Reconciler<GatewayRoute> {
  private final StatusPatch status;
  private final StatusWriter writer;
  private final SimpleInboundEventSource<GatewayRoute> compiled;

  GatewayRouteReconciler(CompileLoop loop, StatusPatch status, StatusWriter writer) {
    this.status = status;
    this.writer = writer;
    this.compiled = CompiledEventSource.forKind(loop, GatewayRoute.KIND);
  }

  @Override
  public List<EventSource<?, GatewayRoute>> prepareEventSources(
      EventSourceContext<GatewayRoute> context) {
    return List.of(compiled);
  }

  @Override
  public UpdateControl<GatewayRoute> reconcile(GatewayRoute route, Context<GatewayRoute> context) {
    return status
        .decided(GatewayRoute.KIND, route)
        .map(
            d -> {
              GatewayRouteStatus desired = writer.routeStatus(route, d.verdict(), d.result());
              return status.ifChanged(route, desired, GatewayRoute::new);
            })
        .orElseGet(UpdateControl::noUpdate);
  }
}
