package dev.portico.operator.workload;

import dev.portico.api.dataplane.DataPlane;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import java.util.Map;

/**
 * The certificate the data-plane pods trust the operator's snapshot channel by. Public material
 * only: the replicas prove who they are with a bound ServiceAccount token, not a key.
 */
public final class DataPlaneChannelConfig
    extends CRUDKubernetesDependentResource<ConfigMap, DataPlane> {
  public static final String CA_KEY = "ca.crt";
  private final String caPem;

  public DataPlaneChannelConfig(String caPem) {
    super(ConfigMap.class);
    this.caPem = caPem;
  }

  @Override
  protected InformerEventSourceConfiguration.Builder<ConfigMap> informerConfigurationBuilder(
      EventSourceContext<DataPlane> context) {
    return ManagedInformers.managedOnly(ConfigMap.class, context);
  }

  @Override
  protected ConfigMap desired(DataPlane dp, Context<DataPlane> context) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(WorkloadNames.channelConfig(dp))
        .withNamespace(dp.getMetadata().getNamespace())
        .withLabels(WorkloadNames.labels(dp))
        .endMetadata()
        .withData(Map.of(CA_KEY, caPem))
        .build();
  }
}
