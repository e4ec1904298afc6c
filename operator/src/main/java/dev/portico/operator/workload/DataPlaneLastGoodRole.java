package dev.portico.operator.workload;

import dev.portico.api.dataplane.DataPlane;
import dev.portico.snapshot.StoredSnapshot;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Lets a DataPlane's pods read its last known good snapshot and nothing else: {@code get} on
 * exactly its chunk Secrets, in the operator's namespace. An object there cannot be owned by a
 * DataPlane elsewhere, so the reconciler deletes it explicitly (with the finalizer).
 */
public final class DataPlaneLastGoodRole
    extends CRUDNoGCKubernetesDependentResource<Role, DataPlane> {
  private final String namespace;

  /**
   * @param namespace the operator's, where the Secrets are
   */
  public DataPlaneLastGoodRole(String namespace) {
    super(Role.class);
    this.namespace = namespace;
  }

  /** The Secrets a DataPlane's pods may read. */
  public static List<String> chunkNames(DataPlane dp) {
    return IntStream.range(0, StoredSnapshot.MAX_CHUNKS)
        .mapToObj(i -> StoredSnapshot.chunkName(WorkloadNames.lastGood(dp), i))
        .toList();
  }

  @Override
  protected InformerEventSourceConfiguration.Builder<Role> informerConfigurationBuilder(
      EventSourceContext<DataPlane> context) {
    return ManagedInformers.inNamespace(Role.class, context, namespace);
  }

  @Override
  protected Role desired(DataPlane dp, Context<DataPlane> context) {
    return new RoleBuilder()
        .withNewMetadata()
        .withName(WorkloadNames.lastGood(dp))
        .withNamespace(namespace)
        .withLabels(WorkloadNames.labels(dp))
        .endMetadata()
        .addNewRule()
        .withApiGroups("")
        .withResources("secrets")
        .withResourceNames(chunkNames(dp))
        .withVerbs("get")
        .endRule()
        .build();
  }
}
