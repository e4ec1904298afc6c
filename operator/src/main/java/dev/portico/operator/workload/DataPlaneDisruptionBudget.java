package dev.portico.operator.workload;

import dev.portico.api.dataplane.DataPlane;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/**
 * Keeps all but one data-plane pod up through node drains. Only for DataPlanes with more than one
 * replica: with one, a budget would block every drain.
 */
public final class DataPlaneDisruptionBudget
    extends CRUDKubernetesDependentResource<PodDisruptionBudget, DataPlane> {
  public DataPlaneDisruptionBudget() {
    super(PodDisruptionBudget.class);
  }

  public static boolean wanted(DataPlane dp) {
    return dp.getSpec().replicas == null || dp.getSpec().replicas > 1;
  }

  @Override
  protected InformerEventSourceConfiguration.Builder<PodDisruptionBudget>
      informerConfigurationBuilder(EventSourceContext<DataPlane> context) {
    return ManagedInformers.managedOnly(PodDisruptionBudget.class, context);
  }

  @Override
  protected PodDisruptionBudget desired(DataPlane dp, Context<DataPlane> context) {
    return new PodDisruptionBudgetBuilder()
        .withNewMetadata()
        .withName(WorkloadNames.workload(dp))
        .withNamespace(dp.getMetadata().getNamespace())
        .withLabels(WorkloadNames.labels(dp))
        .endMetadata()
        .withNewSpec()
        .withMaxUnavailable(new IntOrString(1))
        .withNewSelector()
        .withMatchLabels(WorkloadNames.selector(dp))
        .endSelector()
        .endSpec()
        .build();
  }
}
