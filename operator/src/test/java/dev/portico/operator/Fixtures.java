package dev.portico.operator;

import dev.portico.api.dataplane.DataPlane;
import dev.portico.api.route.GatewayRoute;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

/** Small resources for operator tests, written as users write them. */
public final class Fixtures {
  private Fixtures() {}

  public static Namespace namespace(String name) {
    return new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build();
  }

  public static DataPlane dataPlane(String namespace, String name, int replicas) {
    return Serialization.unmarshal(
        """
        apiVersion: portico.dev/v1alpha1
        kind: DataPlane
        metadata: {name: %s, namespace: %s}
        spec:
          replicas: %d
          listeners:
            - {name: http, port: 8080}
        """
            .formatted(name, namespace, replicas),
        DataPlane.class);
  }

  public static GatewayRoute route(
      String namespace, String name, String dataPlane, String path, String backend) {
    return Serialization.unmarshal(
        """
        apiVersion: portico.dev/v1alpha1
        kind: GatewayRoute
        metadata: {name: %s, namespace: %s}
        spec:
          parentRefs:
            - name: %s
          rules:
            - name: main
              matches:
                - path: {type: PathPrefix, value: %s}
              backends:
                - {name: %s, port: 80}
        """
            .formatted(name, namespace, dataPlane, path, backend),
        GatewayRoute.class);
  }

  public static Service service(String namespace, String name) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withNewSpec()
        .addNewPort()
        .withName("http")
        .withPort(80)
        .withNewTargetPort(9000)
        .endPort()
        .endSpec()
        .build();
  }
}
