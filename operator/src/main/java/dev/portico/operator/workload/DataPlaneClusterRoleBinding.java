package dev.portico.operator.workload;

import dev.portico.api.dataplane.DataPlane;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;

/**
 * Lets a DataPlane's ServiceAccount read EndpointSlices and Services (ClusterRole {@code
 * portico-dataplane}), in every namespace its routes may reach. A cluster-scoped object cannot be
 * owned by a namespaced DataPlane, so the reconciler deletes it explicitly (with a finalizer)
 * rather than through garbage collection.
 */
public final class DataPlaneClusterRoleBinding
    extends CRUDNoGCKubernetesDependentResource<ClusterRoleBinding, DataPlane> {
  public DataPlaneClusterRoleBinding() {
    super(ClusterRoleBinding.class);
  }

  @Override
  protected InformerEventSourceConfiguration.Builder<ClusterRoleBinding>
      informerConfigurationBuilder(EventSourceContext<DataPlane> context) {
    return ManagedInformers.managedOnly(ClusterRoleBinding.class, context).withWatchAllNamespaces();
  }

  @Override
  protected ClusterRoleBinding desired(DataPlane dp, Context<DataPlane> context) {
    return new ClusterRoleBindingBuilder()
        .withNewMetadata()
        .withName(WorkloadNames.clusterRoleBinding(dp))
        .withLabels(WorkloadNames.labels(dp))
        .endMetadata()
        .withNewRoleRef()
        .withApiGroup("rbac.authorization.k8s.io")
        .withKind("ClusterRole")
        .withName(WorkloadNames.DATAPLANE_CLUSTER_ROLE)
        .endRoleRef()
        .addNewSubject()
        .withKind("ServiceAccount")
        .withName(WorkloadNames.workload(dp))
        .withNamespace(dp.getMetadata().getNamespace())
        .endSubject()
        .build();
  }
}
