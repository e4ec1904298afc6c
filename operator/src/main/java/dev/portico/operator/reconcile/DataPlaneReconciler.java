package dev.portico.operator.reconcile;

import dev.portico.api.dataplane.DataPlane;
import dev.portico.api.dataplane.DataPlaneStatus;
import dev.portico.operator.admin.OperatorMetrics;
import dev.portico.operator.compile.CompileLoop;
import dev.portico.operator.lastgood.LastGoodWriter;
import dev.portico.operator.publish.SnapshotPublisher;
import dev.portico.operator.status.RefusalEvents;
import dev.portico.operator.status.StatusWriter;
import dev.portico.operator.workload.DataPlaneChannelConfig;
import dev.portico.operator.workload.DataPlaneClusterRoleBinding;
import dev.portico.operator.workload.DataPlaneDeployment;
import dev.portico.operator.workload.DataPlaneDisruptionBudget;
import dev.portico.operator.workload.DataPlaneLastGoodRole;
import dev.portico.operator.workload.DataPlaneLastGoodRoleBinding;
import dev.portico.operator.workload.DataPlaneService;
import dev.portico.operator.workload.DataPlaneServiceAccount;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the workloads a DataPlane asks for (ServiceAccount, bindings, Deployment, Service and, with
 * more than one replica, a PodDisruptionBudget) and writes its status: compile verdict, snapshot
 * version, attached routes, ready replicas and the version each connected replica runs. A replica's
 * refusal also becomes an Event.
 */
@ControllerConfiguration(name = "dataplanes")
public final class DataPlaneReconciler implements Reconciler<DataPlane>, Cleaner<DataPlane> {
  private final StatusPatch status;
  private final StatusWriter writer;
  private final SnapshotPublisher publisher;
  private final RefusalEvents refusals;
  private final SimpleInboundEventSource<DataPlane> compiled;
  private final WorkloadMemo workloads;
  private final OperatorMetrics metrics;
  private final DataPlaneServiceAccount serviceAccount = new DataPlaneServiceAccount();
  private final DataPlaneClusterRoleBinding binding = new DataPlaneClusterRoleBinding();
  private final DataPlaneDeployment deployment;
  private final DataPlaneService service = new DataPlaneService();
  private final DataPlaneDisruptionBudget budget = new DataPlaneDisruptionBudget();

  private final DataPlaneChannelConfig channelConfig;
  private final LastGoodWriter lastGood;
  private final DataPlaneLastGoodRole lastGoodRole;
  private final DataPlaneLastGoodRoleBinding lastGoodBinding;

  /**
   * @param channelCaPem the snapshot channel's CA certificate; null when distribution is off
   * @param lastGood stores the last known good snapshots in {@code lastGoodNamespace}; both null
   *     when none are stored
   */
  DataPlaneReconciler(
      CompileLoop loop,
      StatusPatch status,
      StatusWriter writer,
      RefusalEvents refusals,
      DataPlaneDeployment deployment,
      String channelCaPem,
      LastGoodWriter lastGood,
      String lastGoodNamespace,
      OperatorMetrics metrics) {
    this.status = status;
    this.writer = writer;
    this.publisher = loop.publisher();
    this.refusals = refusals;
    this.deployment = deployment;
    this.channelConfig = channelCaPem == null ? null : new DataPlaneChannelConfig(channelCaPem);
    this.lastGood = lastGood;
    this.lastGoodRole = lastGood == null ? null : new DataPlaneLastGoodRole(lastGoodNamespace);
    this.lastGoodBinding =
        lastGood == null ? null : new DataPlaneLastGoodRoleBinding(lastGoodNamespace);
    this.compiled = CompiledEventSource.forKind(loop, DataPlane.KIND);
    List<Class<? extends HasMetadata>> types =
        new ArrayList<>(
            List.of(
                ServiceAccount.class,
                ClusterRoleBinding.class,
                Deployment.class,
                Service.class,
                PodDisruptionBudget.class));
    if (channelConfig != null) {
      types.add(ConfigMap.class);
    }
    if (lastGood != null) {
      types.add(Role.class);
      types.add(RoleBinding.class);
    }
    this.workloads = new WorkloadMemo(types);
    this.metrics = metrics;
  }

  @Override
  public List<EventSource<?, DataPlane>> prepareEventSources(
      EventSourceContext<DataPlane> context) {
    List<EventSource<?, DataPlane>> sources =
        new ArrayList<>(
            EventSourceUtils.dependentEventSources(
                context, serviceAccount, binding, deployment, service, budget));
    if (channelConfig != null) {
      sources.addAll(EventSourceUtils.dependentEventSources(context, channelConfig));
    }
    if (lastGood != null) {
      sources.addAll(
          EventSourceUtils.dependentEventSources(context, lastGoodRole, lastGoodBinding));
    }
    sources.add(compiled);
    return sources;
  }

  @Override
  public UpdateControl<DataPlane> reconcile(DataPlane dp, Context<DataPlane> context) {
    String seen = workloads.fingerprint(dp, context);
    boolean workloadsChanged = !workloads.unchanged(dp, seen);
    if (workloadsChanged) {
      reconcileWorkloads(dp, context);
      workloads.reconciled(dp, seen); // not reached when one failed: JOSDK retries them all
    }
    metrics.workloadPass(workloadsChanged);
    return writeStatus(dp, context, dp.getSpec().replicas == null ? 2 : dp.getSpec().replicas);
  }

  /** Creates or updates each workload to match the DataPlane, and deletes an unwanted budget. */
  private void reconcileWorkloads(DataPlane dp, Context<DataPlane> context) {
    serviceAccount.reconcile(dp, context);
    binding.reconcile(dp, context);
    if (channelConfig != null) {
      channelConfig.reconcile(dp, context);
    }
    if (lastGood != null) {
      lastGoodRole.reconcile(dp, context);
      lastGoodBinding.reconcile(dp, context);
    }
    deployment.reconcile(dp, context);
    service.reconcile(dp, context);
    if (DataPlaneDisruptionBudget.wanted(dp)) {
      budget.reconcile(dp, context);
    } else {
      budget.delete(dp, context);
    }
  }

  private UpdateControl<DataPlane> writeStatus(
      DataPlane dp, Context<DataPlane> context, int desired) {
    int ready =
        context
            .getSecondaryResource(Deployment.class)
            .map(d -> d.getStatus() == null ? null : d.getStatus().getReadyReplicas())
            .orElse(0);
    return status
        .decided(DataPlane.KIND, dp)
        .map(
            d -> {
              refusals.report(dp, publisher.replicas(id(dp)));
              DataPlaneStatus next =
                  writer.dataPlaneStatus(dp, d.verdict(), d.result(), desired, ready);
              return status.ifChanged(dp, next, DataPlane::new);
            })
        .orElseGet(UpdateControl::noUpdate);
  }

  private static String id(DataPlane dp) {
    return dp.getMetadata().getNamespace() + "/" + dp.getMetadata().getName();
  }

  @Override
  public DeleteControl cleanup(DataPlane dp, Context<DataPlane> context) {
    // Namespaced workloads go with the DataPlane through owner references; the cluster-scoped
    // binding and what lives in the operator's namespace cannot, so they are removed here before
    // the finalizer is released (a failure throws: JOSDK retries, the finalizer stays).
    workloads.forget(dp);
    binding.delete(dp, context);
    if (lastGood != null) {
      lastGood.forget(dp);
      lastGoodBinding.delete(dp, context);
      lastGoodRole.delete(dp, context);
    }
    return DeleteControl.defaultDelete();
  }
}
