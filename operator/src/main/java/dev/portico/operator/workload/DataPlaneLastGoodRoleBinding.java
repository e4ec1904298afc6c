package dev.portico.operator.workload;

import dev.portico.api.dataplane.DataPlane;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;

/**
 * Grants {@link DataPlaneLastGoodRole} to the DataPlane's ServiceAccount, in the operator's
 * namespace; deleted by the reconciler with the finalizer, like the Role.
 */
public final class DataPlaneLastGoodRoleBinding
    extends CRUDNoGCKubernetesDependentResource<RoleBinding, DataPlane> {
  private final String namespace;

  public DataPlaneLastGoodRoleBinding(String namespace) {
    super(RoleBinding.class);
    this.namespace = namespace;
  }

  @Override
  protected InformerEventSourceConfiguration.Builder<RoleBinding> informerConfigurationBuilder(
      EventSourceContext<DataPlane> context) {
    return ManagedInformers.inNamespace(RoleBinding.class, context, namespace);
  }

  @Override
  protected RoleBinding desired(DataPlane dp, Context<DataPlane> context) {
    return new RoleBindingBuilder()
        .withNewMetadata()
        .withName(WorkloadNames.lastGood(dp))
        .withNamespace(namespace)
        .withLabels(WorkloadNames.labels(dp))
        .endMetadata()
        .withNewRoleRef()
        .withApiGroup("rbac.authorization.k8s.io")
        .withKind("Role")
        .withName(WorkloadNames.lastGood(dp))
        .endRoleRef()
        .addNewSubject()
        .withKind("ServiceAccount")
        .withName(WorkloadNames.workload(dp))
        .withNamespace(dp.getMetadata().getNamespace())
        .endSubject()
        .build();
  }
}
