package dev.portico.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.dataplane.server.GatewayHarness;
import dev.portico.dataplane.server.TestBackend;
import dev.portico.dataplane.upstream.Endpoint;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * One live and one dead endpoint behind a Service: connect failures are retried on the other
 * endpoint, so clients see no error, and the dead one is ejected after consecutive failures.
 */
class OutlierDetectionTest {
  @Test
  void deadEndpointIsRetriedAroundAndEjected() throws Exception {
    try (GatewayHarness h = new GatewayHarness()) {
      TestBackend live = h.backend("live");
      int dead = GatewayHarness.freePort();
      Files.writeString(
          h.dir.resolve("svc.yaml"),
          """
          apiVersion: v1
          kind: Service
          metadata: {name: pair, namespace: default}
          spec:
            ports: [{name: http, port: 80, targetPort: http}]
          ---
          apiVersion: discovery.k8s.io/v1
          kind: EndpointSlice
          metadata:
            name: pair-1
            namespace: default
            labels: {kubernetes.io/service-name: pair}
          addressType: IPv4
          endpoints:
            - addresses: [127.0.0.1]
          ports: [{name: http, port: %d}]
          ---
          apiVersion: discovery.k8s.io/v1
          kind: EndpointSlice
          metadata:
            name: pair-2
            namespace: default
            labels: {kubernetes.io/service-name: pair}
          addressType: IPv4
          endpoints:
            - addresses: [127.0.0.1]
          ports: [{name: http, port: %d}]
          """
              .formatted(live.port(), dead));
      h.serve(
          """
              - matches: [{path: {type: PathPrefix, value: /}}]
                backends: [{name: pair, port: 80}]
                retry: {attempts: 2, retryOn: [ConnectFailure], backoffBase: 1ms, backoffMax: 2ms}
          """);
      for (int i = 0; i < 40; i++) {
        assertThat(h.get("/x").statusCode()).isEqualTo(200);
      }
      assertThat(live.requests.get()).isEqualTo(40);
      Endpoint deadEndpoint =
          h.gateway.endpoints().set("default/pair:80").endpoints().stream()
              .filter(e -> e.address().port() == dead)
              .findFirst()
              .orElseThrow();
      assertThat(deadEndpoint.isEjected(System.nanoTime())).isTrue();
    }
  }
}
