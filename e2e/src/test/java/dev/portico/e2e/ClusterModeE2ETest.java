package dev.portico.e2e;

import static dev.portico.e2e.OperatorFixture.CONVERGE;
import static dev.portico.e2e.OperatorFixture.condition;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.portico.api.dataplane.DataPlane;
import dev.portico.e2e.cluster.HostAddress;
import dev.portico.e2e.cluster.KubeE2E;
import dev.portico.e2e.cluster.Kubectl;
import dev.portico.e2e.cluster.Poll;
import dev.portico.e2e.cluster.PorticoProcess;
import dev.portico.e2e.cluster.Project;
import dev.portico.e2e.cluster.TestNamespace;
import dev.portico.operator.PorticoOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The cluster path end to end: the operator (in-process, snapshot channel on loopback) and a real
 * data-plane process in cluster mode, authenticated as the DataPlane's own ServiceAccount, a
 * Service without selector whose EndpointSlice points at a local backend (on the host's own
 * address: the API server refuses loopback endpoints). Traffic flows, Programmed follows the
 * replica's ack, route edits and endpoint changes reach the replica.
 */
@KubeE2E
class ClusterModeE2ETest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void routesServeThroughAClusterModeReplica(
      KubernetesClient client, TestNamespace ns, Kubectl kubectl) throws Exception {
    HttpServer backend = backend("catalog says hi");
    int listener = PorticoProcess.freePort();
    try (OperatorFixture f = new OperatorFixture(client)) {
      kubectl.run(
          "apply", "-f", Project.root().resolve("manifests/clusterrole-dataplane.yaml").toString());
      f.apply(
          """
          apiVersion: portico.dev/v1alpha1
          kind: DataPlane
          metadata: {name: edge, namespace: %s}
          spec:
            replicas: 1
            listeners: [{name: http, port: %d}]
          """
              .formatted(ns.name(), listener));
      f.apply(OperatorE2ETest.service(ns.name(), "catalog"));
      f.apply(slice(ns.name(), "catalog", backend.getAddress().getPort(), true));
      f.apply(route(ns.name(), "/", null));
      PorticoOperator operator = f.start(Set.of(ns.name()), true);

      // The operator made the DataPlane's ServiceAccount and its binding; the replica runs as it.
      Poll.until(
          "ServiceAccount portico-edge",
          CONVERGE,
          () ->
              client.serviceAccounts().inNamespace(ns.name()).withName("portico-edge").get()
                  != null);
      Path dir = Files.createTempDirectory("portico-replica");
      Path ca = Files.writeString(dir.resolve("ca.crt"), operator.channelCaPem().orElseThrow());
      Path token =
          Files.writeString(
              dir.resolve("token"),
              PorticoProcess.audienceToken(client, ns.name(), "portico-edge", "portico-operator"));
      Path kubeconfig =
          PorticoProcess.serviceAccountKubeconfig(client, kubectl, ns.name(), "portico-edge");
      try (PorticoProcess replica =
          PorticoProcess.dataPlane(
              "replica-0",
              kubeconfig,
              List.of(
                  "cluster",
                  "--dataplane",
                  ns.name() + "/edge",
                  "--operator",
                  "https://127.0.0.1:" + operator.channelPort().orElseThrow(),
                  "--operator-ca",
                  ca.toString(),
                  "--token-file",
                  token.toString(),
                  "--replica",
                  "replica-0",
                  "--bind",
                  "127.0.0.1"),
              "-Xmx256m")) {
        replica.awaitReady(Duration.ofSeconds(60));
        assertThat(get(listener, "/products").body()).isEqualTo("catalog says hi");

        // Programmed follows the replica's acknowledgement of the snapshot that has the route.
        f.awaitRoute(ns.name(), "shop", "Ready", "True", "Ready");
        Poll.until(
            "DataPlane Programmed",
            CONVERGE,
            () -> {
              DataPlane dp =
                  client.resources(DataPlane.class).inNamespace(ns.name()).withName("edge").get();
              return dp.getStatus() != null
                  && "True".equals(condition(dp.getStatus().conditions, "Programmed").getStatus());
            });

        // An edit reaches the replica without a restart.
        f.apply(route(ns.name(), "/", "X-Edited: yes"));
        Poll.until(
            "the edited route served",
            CONVERGE,
            () ->
                "yes"
                    .equals(
                        get(listener, "/products").headers().firstValue("X-Edited").orElse("")));

        // An endpoint that stops being ready stops receiving requests, with no recompile.
        f.apply(slice(ns.name(), "catalog", backend.getAddress().getPort(), false));
        Poll.until(
            "503 once the only endpoint is not ready",
            CONVERGE,
            () -> get(listener, "/products").statusCode() == 503);
        f.apply(slice(ns.name(), "catalog", backend.getAddress().getPort(), true));
        Poll.until("200 again", CONVERGE, () -> get(listener, "/products").statusCode() == 200);
      }
    } finally {
      backend.stop(0);
    }
  }

  private static HttpResponse<String> get(int port, String path)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpServer backend(String answer) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(HostAddress.ipv4(), 0), 16);
    server.createContext(
        "/",
        ex -> {
          byte[] body = answer.getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          try (var out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    return server;
  }

  private static String slice(String namespace, String service, int port, boolean ready) {
    return """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: %s-loopback
          namespace: %s
          labels: {kubernetes.io/service-name: %s}
        addressType: IPv4
        ports: [{name: http, port: %d, protocol: TCP}]
        endpoints:
          - addresses: [%s]
            conditions: {ready: %s}
        """
        .formatted(service, namespace, service, port, HostAddress.ipv4(), ready);
  }

  private static String route(String namespace, String path, String responseHeader) {
    List<String> lines =
        new java.util.ArrayList<>(
            List.of(
                "apiVersion: portico.dev/v1alpha1",
                "kind: GatewayRoute",
                "metadata: {name: shop, namespace: " + namespace + "}",
                "spec:",
                "  parentRefs: [{name: edge}]",
                "  rules:",
                "    - matches: [{path: {type: PathPrefix, value: \"" + path + "\"}}]",
                "      backends: [{name: catalog, port: 80}]"));
    if (responseHeader != null) {
      String[] nameValue = responseHeader.split(": ", 2);
      lines.add("      filters:");
      lines.add("        - type: ResponseHeaderModifier");
      lines.add("          responseHeaderModifier:");
      lines.add("            set: [{name: " + nameValue[0] + ", value: " + nameValue[1] + "}]");
    }
    return String.join("\n", lines) + "\n";
  }
}
