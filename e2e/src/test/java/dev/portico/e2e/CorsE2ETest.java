package dev.portico.e2e;

import static dev.portico.e2e.OperatorFixture.CONVERGE;
import static dev.portico.e2e.OperatorFixture.condition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.api.route.GatewayRoute;
import dev.portico.e2e.cluster.KubeE2E;
import dev.portico.e2e.cluster.Kubectl;
import dev.portico.e2e.cluster.Poll;
import dev.portico.e2e.cluster.PorticoProcess;
import dev.portico.e2e.cluster.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A CORS filter through the cluster path: admitted by the real API server, compiled by the operator
 * and served by a cluster-mode replica, which answers the preflight itself and adds the CORS fields
 * to the proxied answer; the route becomes Programmed. A filter the compiler refuses (an origin
 * port outside 1-65535, which the schema's pattern lets through) is reported on its route as
 * Accepted=False (Invalid).
 */
@KubeE2E
class CorsE2ETest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final String APP = "https://app.example.com";

  @Test
  void preflightIsAnsweredByTheReplicaAndTheRouteIsProgrammed(
      KubernetesClient client, TestNamespace ns, Kubectl kubectl) throws Exception {
    int listener = PorticoProcess.freePort();
    try (ClusterFixture f =
            ClusterFixture.setUp(client, kubectl, ns, "{\"name\":\"mug\"}", 1, listener);
        PorticoProcess replica = f.startWithOneReplica()) {
      f.apply(
          """
          apiVersion: portico.dev/v1alpha1
          kind: GatewayRoute
          metadata: {name: cors, namespace: %s}
          spec:
            parentRefs: [{name: edge}]
            rules:
              - matches: [{path: {value: /api}}]
                filters:
                  - type: CORS
                    cors:
                      allowOrigins: [https://app.example.com, "https://*.shop.example.com"]
                      allowMethods: [PUT, DELETE]
                      allowHeaders: [Content-Type]
                      exposeHeaders: [ETag]
                      allowCredentials: true
                      maxAge: 600
                backends: [{name: catalog, port: 80}]
          """
              .formatted(ns.name()));
      f.apply(
          """
          apiVersion: portico.dev/v1alpha1
          kind: GatewayRoute
          metadata: {name: cors-bad, namespace: %s}
          spec:
            parentRefs: [{name: edge}]
            rules:
              - matches: [{path: {value: /bad}}]
                filters:
                  - type: CORS
                    cors: {allowOrigins: ["https://app.example.com:70000"]}
                backends: [{name: catalog, port: 80}]
          """
              .formatted(ns.name()));
      replica.awaitReady(Duration.ofSeconds(60));

      f.awaitRoute(ns.name(), "cors", "Programmed", "True", null);
      HttpResponse<String>[] preflight = new HttpResponse[1];
      Poll.until(
          "the replica answers the preflight",
          CONVERGE,
          () -> {
            preflight[0] =
                send(
                    "OPTIONS",
                    listener,
                    "/api/items",
                    "Origin",
                    APP,
                    "Access-Control-Request-Method",
                    "PUT",
                    "Access-Control-Request-Headers",
                    "content-type");
            if (preflight[0].statusCode() != 204) {
              throw new IllegalStateException(
                  preflight[0].statusCode() + ": " + preflight[0].body());
            }
            return true;
          });
      HttpResponse<String> r = preflight[0];
      assertThat(header(r, "access-control-allow-origin")).isEqualTo(APP);
      assertThat(header(r, "access-control-allow-credentials")).isEqualTo("true");
      assertThat(header(r, "access-control-allow-methods")).isEqualTo("PUT, DELETE");
      assertThat(header(r, "access-control-allow-headers")).isEqualTo("content-type");
      assertThat(header(r, "access-control-max-age")).isEqualTo("600");
      assertThat(r.body()).as("the gateway answered, not the backend").isEmpty();

      HttpResponse<String> refused =
          send(
              "OPTIONS",
              listener,
              "/api/items",
              "Origin",
              "https://evil.example",
              "Access-Control-Request-Method",
              "PUT");
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.body()).contains("cors-preflight-rejected");

      HttpResponse<String> actual =
          send("GET", listener, "/api/items", "Origin", "https://a.shop.example.com");
      assertThat(actual.statusCode()).isEqualTo(200);
      assertThat(actual.body()).isEqualTo("{\"name\":\"mug\"}");
      assertThat(header(actual, "access-control-allow-origin"))
          .isEqualTo("https://a.shop.example.com");
      assertThat(header(actual, "access-control-expose-headers")).isEqualTo("etag");
      assertThat(header(actual, "vary")).contains("Origin");

      GatewayRoute bad = f.awaitRoute(ns.name(), "cors-bad", "Accepted", "False", "Invalid");
      assertThat(condition(bad.getStatus().conditions, "Accepted").getMessage())
          .contains("spec.rules[0].filters[0].cors.allowOrigins[0]")
          .contains("port outside 1-65535");
    }
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  private static HttpResponse<String> send(String method, int port, String path, String... headers)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .headers(headers)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
