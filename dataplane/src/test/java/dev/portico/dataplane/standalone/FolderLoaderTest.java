package dev.portico.dataplane.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portico.dataplane.upstream.Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderLoaderTest {
  @TempDir Path dir;

  @Test
  void quickstartBackendsFallBackToLoopbackTargetPorts() throws Exception {
    LoadedFolder folder = new FolderLoader(Path.of("../examples/quickstart"), null).load();
    assertThat(folder.snapshot().dataPlane()).isEqualTo("default/quickstart");
    assertThat(folder.endpoints())
        .containsEntry("default/catalog:80", List.of(new Address("127.0.0.1", 9001)))
        .containsEntry("default/reviews:80", List.of(new Address("127.0.0.1", 9002)));
  }

  @Test
  void slicesAreMatchedByPortNameAndReadiness() throws Exception {
    write(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: svc, namespace: default}
        spec:
          ports: [{name: web, port: 80, targetPort: web}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: svc-1
          namespace: default
          labels: {kubernetes.io/service-name: svc}
        addressType: IPv4
        endpoints:
          - addresses: [10.0.0.1, 10.0.0.2]
          - addresses: [10.0.0.3]
            conditions: {ready: false}
        ports: [{name: web, port: 8080}, {name: other, port: 9999}]
        """);
    LoadedFolder folder = new FolderLoader(dir, null).load();
    assertThat(folder.endpoints().get("default/svc:80"))
        .containsExactlyInAnyOrder(new Address("10.0.0.1", 8080), new Address("10.0.0.2", 8080));
  }

  @Test
  void severalDataPlanesNeedAChoice() throws Exception {
    write("");
    Files.writeString(
        dir.resolve("second.yaml"),
        """
        apiVersion: portico.dev/v1alpha1
        kind: DataPlane
        metadata: {name: second, namespace: default}
        spec:
          listeners: [{name: http, port: 8081}]
        """);
    assertThatThrownBy(() -> new FolderLoader(dir, null).load())
        .isInstanceOf(StandaloneConfigException.class)
        .hasMessageContaining("--dataplane");
    assertThat(new FolderLoader(dir, "default/second").load().snapshot().dataPlane())
        .isEqualTo("default/second");
  }

  private void write(String services) throws Exception {
    Files.writeString(
        dir.resolve("dp.yaml"),
        """
        apiVersion: portico.dev/v1alpha1
        kind: DataPlane
        metadata: {name: dp, namespace: default}
        spec:
          listeners: [{name: http, port: 8080}]
        ---
        apiVersion: portico.dev/v1alpha1
        kind: GatewayRoute
        metadata: {name: r, namespace: default}
        spec:
          parentRefs: [{name: dp}]
          rules:
            - backends: [{name: svc, port: 80}]
        """);
    if (!services.isEmpty()) {
      Files.writeString(dir.resolve("svc.yaml"), services);
    }
  }
}
