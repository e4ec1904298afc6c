package dev.portico.operator.workload;

import dev.portico.api.dataplane.DataPlane;
import dev.portico.api.dataplane.Listener;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import java.util.List;

/**
 * The front-door Service of a DataPlane: one port per listener. A LoadBalancer, like the peers'
 * gateways, since a DataPlane is the cluster's entry point; the admin port is not exposed.
 */
public final class DataPlaneService extends CRUDKubernetesDependentResource<Service, DataPlane> {
  public DataPlaneService() {
    super(Service.class);
  }

  @Override
  protected InformerEventSourceConfiguration.Builder<Service> informerConfigurationBuilder(
      EventSourceContext<DataPlane> context) {
    return ManagedInformers.managedOnly(Service.class, context);
  }

  @Override
  protected Service desired(DataPlane dp, Context<DataPlane> context) {
    List<ServicePort> ports = dp.getSpec().listeners.stream().map(DataPlaneService::port).toList();
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(WorkloadNames.workload(dp))
        .withNamespace(dp.getMetadata().getNamespace())
        .withLabels(WorkloadNames.labels(dp))
        .endMetadata()
        .withNewSpec()
        .withType("LoadBalancer")
        .withExternalTrafficPolicy("Local")
        .withSelector(WorkloadNames.selector(dp))
        .withPorts(ports)
        .endSpec()
        .build();
  }

  private static ServicePort port(Listener l) {
    return new ServicePortBuilder()
        .withName(DataPlaneDeployment.portName(l))
        .withPort(l.port)
        .withTargetPort(new IntOrString(l.port))
        .withProtocol("TCP")
        .build();
  }
}
