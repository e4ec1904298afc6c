package dev.portico.dataplane.cors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.dataplane.metrics.ProxyMetrics;
import dev.portico.dataplane.server.GatewayHarness;
import dev.portico.dataplane.server.TestBackend;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CORS through a real listener on loopback, standalone mode: preflights answered by the gateway
 * (allowed, refused, matched as the method they ask for, before security and rate limits), the CORS
 * fields on proxied answers (backend's Access-Control-* replaced, Vary merged) and on the gateway's
 * own answers (401, 429, 502, direct responses, redirects), and rules without CORS left as they
 * were.
 */
class CorsEndToEndTest {
  static final String APP = "https://app.example.com";
  static final String API_KEY = "pk_live_0123456789abcdef";
  static final String PREFLIGHT_VARY =
      "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

  static final SimpleMeterRegistry REGISTRY = new SimpleMeterRegistry();
  static GatewayHarness h;
  static TestBackend backend;

  @BeforeAll
  static void start() throws Exception {
    h = new GatewayHarness(new ProxyMetrics(REGISTRY), null);
    backend = h.backend("b");
    h.deadService("gone");
    h.file(
        "secrets.yaml",
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: partners, namespace: default, labels: {portico.dev/credential: ""}}
        stringData:
          partner-a: %s
        ---
        apiVersion: portico.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: once, namespace: default}
        spec:
          targetRef: {kind: GatewayRoute, name: r, ruleName: limited}
          limits: [{name: once, requests: 1, window: Minute}]
        """
            .formatted(API_KEY));
    h.serve(
        """
            - name: api
              matches: [{path: {value: /api}}]
              filters:
                - type: CORS
                  cors:
                    allowOrigins: [https://app.example.com, "https://*.shop.example.com"]
                    allowMethods: [PUT, DELETE]
                    allowHeaders: [Content-Type, X-Trace]
                    exposeHeaders: [ETag, X-Request-Id]
                    allowCredentials: true
                    maxAge: 600
              backends: [{name: b, port: 80}]
            - name: orders
              matches: [{path: {type: Exact, value: /orders}, method: GET}]
              filters: [{type: CORS, cors: {allowOrigins: [https://app.example.com]}}]
              backends: [{name: b, port: 80}]
            - name: keys
              matches: [{path: {value: /keys}}]
              filters:
                - type: CORS
                  cors:
                    allowOrigins: [https://app.example.com]
                    allowHeaders: [X-API-Key]
                    exposeHeaders: [WWW-Authenticate]
                    allowCredentials: true
              backends: [{name: b, port: 80}]
              security:
                apiKey: {secretRefs: [{name: partners}]}
            - name: limited
              matches: [{path: {value: /limited}}]
              filters:
                - {type: CORS, cors: {allowOrigins: ["*"]}}
                - {type: DirectResponse, directResponse: {statusCode: 200, body: ok}}
            - name: moved
              matches: [{path: {value: /moved}}]
              filters:
                - {type: CORS, cors: {allowOrigins: ["*"], exposeHeaders: [Location]}}
                - type: RequestRedirect
                  requestRedirect: {path: {type: ReplaceFullPath, replaceFullPath: /api}}
            - name: dead
              matches: [{path: {value: /dead}}]
              filters: [{type: CORS, cors: {allowOrigins: [https://app.example.com]}}]
              backends: [{name: gone, port: 80}]
            - name: composed
              matches: [{path: {value: /composed}}]
              filters: [{type: CORS, cors: {allowOrigins: [https://app.example.com]}}]
              compose:
                parts:
                  - {name: echo, backend: {name: b, port: 80}, path: /echo}
            - name: composed-failing
              matches: [{path: {value: /composed-failing}}]
              filters: [{type: CORS, cors: {allowOrigins: [https://app.example.com]}}]
              compose:
                parts:
                  - {name: gone, backend: {name: gone, port: 80}, path: /x}
            - name: plain
              matches: [{path: {value: /}}]
              backends: [{name: b, port: 80}]
        """);
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  static HttpResponse<String> send(String method, String path, String... headers) throws Exception {
    return h.send(method, path, headers);
  }

  static HttpResponse<String> preflight(String path, String origin, String method, String... more)
      throws Exception {
    String[] headers = new String[4 + more.length];
    headers[0] = "Origin";
    headers[1] = origin;
    headers[2] = "Access-Control-Request-Method";
    headers[3] = method;
    System.arraycopy(more, 0, headers, 4, more.length);
    return send("OPTIONS", path, headers);
  }

  static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  static double preflights(String result) {
    var counter = REGISTRY.find("portico.cors.preflight").tag("result", result).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void anAllowedPreflightIsAnsweredByTheGatewayWithEveryField() throws Exception {
    int before = backend.requests.get();
    double allowed = preflights("allowed");
    HttpResponse<String> r =
        preflight(
            "/api/items", APP, "PUT", "Access-Control-Request-Headers", "content-type,x-trace");

    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    assertThat(header(r, "access-control-allow-origin")).isEqualTo(APP);
    assertThat(header(r, "access-control-allow-credentials")).isEqualTo("true");
    assertThat(header(r, "access-control-allow-methods")).isEqualTo("PUT, DELETE");
    assertThat(header(r, "access-control-allow-headers")).isEqualTo("content-type, x-trace");
    assertThat(header(r, "access-control-max-age")).isEqualTo("600");
    assertThat(r.headers().allValues("vary")).containsExactly(PREFLIGHT_VARY);
    assertThat(header(r, "x-request-id")).isNotBlank();
    assertThat(backend.requests.get()).as("nothing reaches the backend").isEqualTo(before);
    assertThat(preflights("allowed")).isEqualTo(allowed + 1);

    HttpResponse<String> wildcard = preflight("/api", "https://a.b.shop.example.com", "DELETE");
    assertThat(wildcard.statusCode()).isEqualTo(204);
    assertThat(header(wildcard, "access-control-allow-origin"))
        .isEqualTo("https://a.b.shop.example.com");
    assertThat(header(wildcard, "access-control-allow-headers")).isNull();
  }

  @Test
  void aPreflightForAnOriginMethodOrHeaderNotAllowedGets403ProblemJson() throws Exception {
    int before = backend.requests.get();
    double rejected = preflights("rejected");
    HttpResponse<String> origin = preflight("/api", "https://evil.example", "PUT");
    HttpResponse<String> method = preflight("/api", APP, "PATCH");
    HttpResponse<String> header =
        preflight("/api", APP, "PUT", "Access-Control-Request-Headers", "x-trace,x-secret");

    for (HttpResponse<String> r : java.util.List.of(origin, method, header)) {
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(header(r, "content-type")).isEqualTo("application/problem+json");
      assertThat(header(r, "access-control-allow-origin")).isNull();
      assertThat(header(r, "vary")).isEqualTo(PREFLIGHT_VARY);
      JsonObject problem = new JsonObject(r.body());
      assertThat(problem.getString("type"))
          .isEqualTo("https://portico.dev/problems/cors-preflight-rejected");
      assertThat(problem.getString("requestId")).isEqualTo(header(r, "x-request-id"));
    }
    assertThat(new JsonObject(origin.body()).getString("detail")).contains("origin");
    assertThat(new JsonObject(method.body()).getString("detail")).contains("method PATCH");
    assertThat(new JsonObject(header.body()).getString("detail")).contains("header x-secret");
    assertThat(backend.requests.get()).isEqualTo(before);
    assertThat(preflights("rejected")).isEqualTo(rejected + 3);
  }

  @Test
  void aPreflightIsMatchedAsTheMethodItAsksFor() throws Exception {
    int before = backend.requests.get();
    HttpResponse<String> get = preflight("/orders", APP, "GET");
    assertThat(get.statusCode()).isEqualTo(204);
    assertThat(header(get, "access-control-allow-origin")).isEqualTo(APP);
    assertThat(backend.requests.get()).isEqualTo(before);

    // DELETE /orders matches the catch-all rule, which has no CORS filter: the OPTIONS request is
    // then matched as OPTIONS and proxied like before.
    HttpResponse<String> delete = preflight("/orders", APP, "DELETE");
    assertThat(delete.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(delete.body()).getString("method")).isEqualTo("OPTIONS");
    assertThat(header(delete, "access-control-allow-origin")).isNull();
  }

  @Test
  void aProtectedRuleAnswersPreflightsWithoutCredentialsButNotTheRequestItself() throws Exception {
    HttpResponse<String> pre =
        preflight("/keys/x", APP, "GET", "Access-Control-Request-Headers", "x-api-key");
    assertThat(pre.statusCode()).isEqualTo(204);
    assertThat(header(pre, "access-control-allow-headers")).isEqualTo("x-api-key");

    HttpResponse<String> anonymous = send("GET", "/keys/x", "Origin", APP);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(header(anonymous, "www-authenticate")).startsWith("ApiKey");
    assertThat(header(anonymous, "access-control-allow-origin")).isEqualTo(APP);
    assertThat(header(anonymous, "access-control-allow-credentials")).isEqualTo("true");
    assertThat(header(anonymous, "access-control-expose-headers")).isEqualTo("www-authenticate");
    assertThat(header(anonymous, "vary")).isEqualTo("Origin");

    HttpResponse<String> keyed = send("GET", "/keys/x", "Origin", APP, "X-API-Key", API_KEY);
    assertThat(keyed.statusCode()).isEqualTo(200);
    assertThat(header(keyed, "access-control-allow-origin")).isEqualTo(APP);
  }

  @Test
  void actualRequestsGetTheFieldsWithTheBackendsVaryMergedAndItsOwnCorsFieldsReplaced()
      throws Exception {
    HttpResponse<String> r =
        send(
            "GET",
            "/api/items",
            "Origin",
            APP,
            "X-Respond-With",
            "Vary: Accept-Encoding",
            "X-Respond-With",
            "Access-Control-Allow-Origin: *",
            "X-Respond-With",
            "Access-Control-Allow-Methods: GET",
            "X-Respond-With",
            "ETag: \"v1\"");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().allValues("access-control-allow-origin")).containsExactly(APP);
    assertThat(header(r, "access-control-allow-credentials")).isEqualTo("true");
    assertThat(header(r, "access-control-expose-headers")).isEqualTo("etag, x-request-id");
    assertThat(header(r, "access-control-allow-methods")).isNull();
    assertThat(r.headers().allValues("vary")).containsExactly("Accept-Encoding, Origin");
    assertThat(header(r, "etag")).isEqualTo("\"v1\"");
    // The backend sees the Origin: it may still check it itself.
    assertThat(new JsonObject(r.body()).getJsonObject("headers").getString("origin"))
        .isEqualTo(APP);
  }

  @Test
  void noOriginOrAForeignOneGetsNoCorsFieldsButIsProxied() throws Exception {
    HttpResponse<String> none =
        send("GET", "/api/items", "X-Respond-With", "Access-Control-Allow-Origin: *");
    HttpResponse<String> foreign = send("GET", "/api/items", "Origin", "https://evil.example");
    for (HttpResponse<String> r : java.util.List.of(none, foreign)) {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(accessControl(r.headers())).isEmpty();
      // Vary all the same: a shared cache must not serve this answer to an allowed origin.
      assertThat(header(r, "vary")).isEqualTo("Origin");
    }
  }

  @Test
  void ruleWithoutCorsHandlesOptionsAndOriginsAsBefore() throws Exception {
    HttpResponse<String> r =
        preflight(
            "/elsewhere",
            APP,
            "PUT",
            "X-Respond-With",
            "Access-Control-Allow-Origin: https://backend.example");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getString("method")).isEqualTo("OPTIONS");
    assertThat(r.headers().allValues("access-control-allow-origin"))
        .containsExactly("https://backend.example");
    assertThat(header(r, "vary")).isNull();
  }

  @Test
  void gatewayMadeAnswersCarryTheCorsFields() throws Exception {
    // Preflights take no rate-limit token.
    assertThat(preflight("/limited", APP, "GET").statusCode()).isEqualTo(204);
    assertThat(preflight("/limited", APP, "GET").statusCode()).isEqualTo(204);
    HttpResponse<String> direct = send("GET", "/limited", "Origin", APP);
    assertThat(direct.statusCode()).isEqualTo(200);
    assertThat(direct.body()).isEqualTo("ok");
    assertThat(header(direct, "access-control-allow-origin")).isEqualTo("*");
    HttpResponse<String> limited = send("GET", "/limited", "Origin", APP);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(header(limited, "access-control-allow-origin")).isEqualTo("*");
    assertThat(header(limited, "retry-after")).isNotNull();
    assertThat(header(limited, "ratelimit")).isNotNull();

    HttpResponse<String> redirect = send("GET", "/moved", "Origin", APP);
    assertThat(redirect.statusCode()).isEqualTo(302);
    assertThat(header(redirect, "access-control-allow-origin")).isEqualTo("*");
    assertThat(header(redirect, "access-control-expose-headers")).isEqualTo("location");

    HttpResponse<String> failed = send("GET", "/dead", "Origin", APP);
    assertThat(failed.statusCode()).isEqualTo(502);
    assertThat(header(failed, "content-type")).isEqualTo("application/problem+json");
    assertThat(header(failed, "access-control-allow-origin")).isEqualTo(APP);
    assertThat(header(failed, "vary")).isEqualTo("Origin");

    HttpResponse<String> composed = send("GET", "/composed", "Origin", APP);
    assertThat(composed.statusCode()).isEqualTo(200);
    assertThat(composed.body()).contains("\"name\":\"b\"");
    assertThat(header(composed, "access-control-allow-origin")).isEqualTo(APP);
    HttpResponse<String> partFailed = send("GET", "/composed-failing", "Origin", APP);
    assertThat(partFailed.statusCode()).isEqualTo(502);
    assertThat(header(partFailed, "access-control-allow-origin")).isEqualTo(APP);
  }

  static java.util.List<String> accessControl(HttpHeaders headers) {
    return headers.map().keySet().stream()
        .filter(n -> n.toLowerCase(java.util.Locale.ROOT).startsWith("access-control-"))
        .toList();
  }
}
