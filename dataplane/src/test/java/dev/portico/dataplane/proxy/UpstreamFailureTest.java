package dev.portico.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.dataplane.server.GatewayHarness;
import dev.portico.dataplane.server.TestBackend;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UpstreamFailureTest {
  static GatewayHarness h;
  static TestBackend slow;
  static TestBackend flaky;

  @BeforeAll
  static void start() throws Exception {
    h = new GatewayHarness();
    slow = h.backend("slow");
    flaky = h.backend("flaky");
    h.deadService("dead");
    h.backend("empty");
    Files.writeString(
        h.dir.resolve("endpoints.yaml"),
        """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: empty-1
          namespace: default
          labels: {kubernetes.io/service-name: empty}
        addressType: IPv4
        endpoints: []
        ports: [{name: http, port: 1}]
        """);
    h.serve(
        """
            - matches: [{path: {type: PathPrefix, value: /dead}}]
              backends: [{name: dead, port: 80}]
            - matches: [{path: {type: PathPrefix, value: /empty}}]
              backends: [{name: empty, port: 80}]
            - matches: [{path: {type: PathPrefix, value: /missing}}]
              backends: [{name: no-such-service, port: 80}]
            - matches: [{path: {type: PathPrefix, value: /slow}}]
              backends: [{name: slow, port: 80}]
              timeouts: {request: 300ms}
            - matches: [{path: {type: PathPrefix, value: /per-try}}]
              backends: [{name: slow, port: 80}]
              timeouts: {backendRequest: 200ms}
            - matches: [{path: {type: PathPrefix, value: /flaky}}]
              backends: [{name: flaky, port: 80}]
              retry: {attempts: 2, retryOn: [Status503], backoffBase: 1ms, backoffMax: 2ms}
        """);
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  @BeforeEach
  void reset() {
    flaky.requests.set(0);
  }

  private static JsonObject problem(HttpResponse<String> r, int status, String type) {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    JsonObject p = new JsonObject(r.body());
    assertThat(p.getString("type")).isEqualTo("https://portico.dev/problems/" + type);
    assertThat(p.getString("requestId")).isEqualTo(r.headers().firstValue("x-request-id").get());
    return p;
  }

  @Test
  void connectionRefusedIs502() throws Exception {
    problem(h.get("/dead"), 502, "upstream-connect-failure");
  }

  @Test
  void backendWithoutEndpointsIs503() throws Exception {
    problem(h.get("/empty"), 503, "no-healthy-endpoint");
  }

  @Test
  void ruleWhoseBackendsDidNotResolveIs503() throws Exception {
    problem(h.get("/missing"), 503, "no-backend");
  }

  @Test
  void slowBackendPastTheRequestTimeoutIs504() throws Exception {
    long start = System.nanoTime();
    problem(h.get("/slow", "x-delay-ms", "3000"), 504, "upstream-timeout");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2500);
    assertThat(h.get("/slow", "x-delay-ms", "10").statusCode()).isEqualTo(200);
  }

  @Test
  void slowBackendPastThePerTryTimeoutIs504() throws Exception {
    problem(h.get("/per-try", "x-delay-ms", "2000"), 504, "upstream-timeout");
  }

  @Test
  void bodilessRequestsAreRetried() throws Exception {
    HttpResponse<String> r = h.get("/flaky", "x-status", "503");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(flaky.requests.get()).isEqualTo(3);
  }

  @Test
  void requestsWithABodyAreNotRetried() throws Exception {
    HttpResponse<String> r =
        h.http.send(
            HttpRequest.newBuilder(h.uri("/flaky"))
                .header("x-status", "503")
                .PUT(HttpRequest.BodyPublishers.ofString("payload"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(flaky.requests.get()).isEqualTo(1);
  }
}
