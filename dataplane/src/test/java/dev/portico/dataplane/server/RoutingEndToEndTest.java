package dev.portico.dataplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RoutingEndToEndTest {
  static GatewayHarness h;

  @BeforeAll
  static void start() throws Exception {
    h = new GatewayHarness();
    h.backend("a");
    h.backend("b");
    Files.writeString(
        h.dir.resolve("api-host.yaml"),
        """
        apiVersion: portico.dev/v1alpha1
        kind: GatewayRoute
        metadata: {name: api, namespace: default}
        spec:
          parentRefs: [{name: test}]
          hostnames: [api.example.com]
          rules:
            - matches: [{path: {type: PathPrefix, value: /}}]
              backends: [{name: b, port: 80}]
        """);
    h.serve(
        """
            - matches: [{path: {type: PathPrefix, value: /a}}]
              backends: [{name: a, port: 80}]
            - matches: [{path: {type: PathPrefix, value: /a}, method: POST}]
              backends: [{name: b, port: 80}]
            - matches: [{path: {type: Exact, value: /exact}}]
              backends: [{name: b, port: 80}]
            - matches: [{path: {type: PathPrefix, value: /canary}}]
              backends: [{name: a, port: 80, weight: 0}, {name: b, port: 80, weight: 1}]
            - matches: [{path: {type: PathPrefix, value: /split}}]
              backends: [{name: a, port: 80, weight: 1}, {name: b, port: 80, weight: 1}]
        """);
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  @Test
  void prefixRoutesToItsBackend() throws Exception {
    HttpResponse<String> r = h.get("/a/x?q=1");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject seen = new JsonObject(r.body());
    assertThat(seen.getString("name")).isEqualTo("a");
    assertThat(seen.getString("uri")).isEqualTo("/a/x?q=1");
  }

  @Test
  void methodMatchBeatsPathOnly() throws Exception {
    HttpResponse<String> r =
        h.http.send(
            HttpRequest.newBuilder(h.uri("/a/x"))
                .POST(HttpRequest.BodyPublishers.ofString("hi"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(new JsonObject(r.body()).getString("name")).isEqualTo("b");
    assertThat(new JsonObject(r.body()).getLong("bodyBytes")).isEqualTo(2);
  }

  @Test
  void exactMatchIsExact() throws Exception {
    assertThat(new JsonObject(h.get("/exact").body()).getString("name")).isEqualTo("b");
    assertThat(h.get("/exactly").statusCode()).isEqualTo(404);
  }

  @Test
  void backendsAreChosenByWeight() throws Exception {
    for (int i = 0; i < 20; i++) {
      assertThat(new JsonObject(h.get("/canary").body()).getString("name")).isEqualTo("b");
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < 60 && seen.size() < 2; i++) {
      seen.add(new JsonObject(h.get("/split").body()).getString("name"));
    }
    assertThat(seen).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void pathIsNormalizedOnceBeforeMatching() throws Exception {
    RawHttp.Response r =
        RawHttp.send(h.port, "GET /x/../a/./y HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).contains("\"name\":\"a\"").contains("\"uri\":\"/a/y\"");
  }

  @Test
  void exactHostnameWinsOverCatchAll() throws Exception {
    RawHttp.Response api =
        RawHttp.send(h.port, "GET /a/x HTTP/1.1\r\nHost: API.example.com:8080\r\n\r\n");
    assertThat(api.text()).contains("\"name\":\"b\"");
    RawHttp.Response other =
        RawHttp.send(h.port, "GET /a/x HTTP/1.1\r\nHost: other.example.com\r\n\r\n");
    assertThat(other.text()).contains("\"name\":\"a\"");
  }

  @Test
  void noRouteIsProblemJson404WithRequestId() throws Exception {
    HttpResponse<String> r = h.get("/nothing");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    JsonObject problem = new JsonObject(r.body());
    assertThat(problem.getString("type")).isEqualTo("https://portico.dev/problems/no-route");
    assertThat(problem.getInteger("status")).isEqualTo(404);
    assertThat(problem.getString("requestId"))
        .isNotBlank()
        .isEqualTo(r.headers().firstValue("x-request-id").orElseThrow());
  }

  @Test
  void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
    RawHttp.Response r =
        RawHttp.send(
            h.port, "GET /a/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /a/2 HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(r.closed()).isFalse();
    assertThat(r.text()).contains("\"uri\":\"/a/1\"").contains("\"uri\":\"/a/2\"");
  }
}
