package dev.portico.operator.workload;

import dev.portico.api.dataplane.DataPlane;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/** The identity the data-plane pods watch EndpointSlices with; one per DataPlane. */
public final class DataPlaneServiceAccount
    extends CRUDKubernetesDependentResource<ServiceAccount, DataPlane> {
  public DataPlaneServiceAccount() {
    super(ServiceAccount.class);
  }

  @Override
  protected InformerEventSourceConfiguration.Builder<ServiceAccount> informerConfigurationBuilder(
      EventSourceContext<DataPlane> context) {
    return ManagedInformers.managedOnly(ServiceAccount.class, context);
  }

  @Override
  protected ServiceAccount desired(DataPlane dp, Context<DataPlane> context) {
    return new ServiceAccountBuilder()
        .withNewMetadata()
        .withName(WorkloadNames.workload(dp))
        .withNamespace(dp.getMetadata().getNamespace())
        .withLabels(WorkloadNames.labels(dp))
        .endMetadata()
        .build();
  }
}
