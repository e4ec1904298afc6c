package dev.portico.operator.reconcile;

import dev.portico.operator.OperatorOptions;
import dev.portico.operator.admin.OperatorMetrics;
import dev.portico.operator.compile.CompileLoop;
import dev.portico.operator.lastgood.LastGoodWriter;
import dev.portico.operator.status.EventRecorder;
import dev.portico.operator.status.RefusalEvents;
import dev.portico.operator.status.StatusWriter;
import dev.portico.operator.workload.DataPlaneDeployment;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.time.Clock;

/** Registers the three reconcilers with JOSDK, watching the configured namespaces. */
public final class Reconcilers {
  private Reconcilers() {}

  /**
   * @param channelCaPem null when the snapshot channel is off
   * @param lastGood null when no last known good snapshot is stored
   */
  public static void register(
      Operator operator,
      KubernetesClient client,
      CompileLoop loop,
      OperatorOptions options,
      OperatorMetrics metrics,
      Clock clock,
      String channelCaPem,
      LastGoodWriter lastGood) {
    String lastGoodNamespace = lastGood == null ? null : lastGood.namespace();
    StatusWriter writer = new StatusWriter(clock, loop.tracker());
    EventRecorder events = new EventRecorder(client, clock);
    StatusPatch status = new StatusPatch(loop, events, metrics);
    register(operator, options, new GatewayRouteReconciler(loop, status, writer));
    register(operator, options, new RateLimitPolicyReconciler(loop, status, writer));
    register(
        operator,
        options,
        new DataPlaneReconciler(
            loop,
            status,
            writer,
            new RefusalEvents(events),
            new DataPlaneDeployment(
                options.dataPlaneImage(), options.operatorAddress(), lastGoodNamespace),
            channelCaPem,
            lastGood,
            lastGoodNamespace,
            metrics));
  }

  private static <P extends HasMetadata> void register(
      Operator operator, OperatorOptions options, Reconciler<P> reconciler) {
    operator.register(
        reconciler,
        o -> {
          if (!options.watchNamespaces().isEmpty()) {
            o.settingNamespaces(options.watchNamespaces());
          }
        });
  }
}
