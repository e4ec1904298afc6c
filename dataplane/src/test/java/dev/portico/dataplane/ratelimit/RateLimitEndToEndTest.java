package dev.portico.dataplane.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.dataplane.metrics.ProxyMetrics;
import dev.portico.dataplane.server.GatewayHarness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Local rate limits through a real gateway on loopback, configured as in standalone mode. */
class RateLimitEndToEndTest {
  static final String RULES =
      """
          - name: one
            matches: [{path: {type: PathPrefix, value: /one}}]
            filters:
              - type: DirectResponse
                directResponse: {statusCode: 200, body: one}
          - name: two
            matches: [{path: {type: PathPrefix, value: /two}}]
            filters:
              - type: DirectResponse
                directResponse: {statusCode: 200, body: two}
      """;

  static String policy(String name, String target, String limits) {
    return """
        apiVersion: portico.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: %s, namespace: default}
        spec:
          targetRef: %s
          limits:
        %s"""
        .formatted(name, target, limits);
  }

  static final String ROUTE = "{kind: GatewayRoute, name: r}";
  static final String DATAPLANE = "{kind: DataPlane, name: test}";

  @Test
  void refusesPastTheLimitWithProblemJsonRetryAfterAndDraftFields() throws Exception {
    try (GatewayHarness h = new GatewayHarness()) {
      h.file(
          "policy.yaml",
          policy("p", ROUTE, "    - {name: per-minute, requests: 3, window: Minute}\n"));
      h.serve(RULES);
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> ok = h.get("/one");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("ratelimit-policy")).hasValue("\"per-minute\";q=3;w=60");
        String left = "\"per-minute\";r=" + (2 - i) + ";t=";
        assertThat(ok.headers().firstValue("ratelimit"))
            .hasValueSatisfying(v -> assertThat(v).startsWith(left));
      }
      HttpResponse<String> refused = h.get("/one");
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("content-type")).hasValue("application/problem+json");
      assertThat(refused.headers().firstValue("retry-after")).hasValue("20");
      assertThat(refused.headers().firstValue("ratelimit")).hasValue("\"per-minute\";r=0;t=60");
      JsonObject problem = new JsonObject(refused.body());
      assertThat(problem.getString("type")).isEqualTo("https://portico.dev/problems/rate-limited");
      assertThat(problem.getInteger("status")).isEqualTo(429);
      assertThat(problem.getString("requestId"))
          .isEqualTo(refused.headers().firstValue("x-request-id").orElseThrow());
      // The route's limit covers both its rules with one counter (key None).
      assertThat(h.get("/two").statusCode()).isEqualTo(429);
    }
  }

  @Test
  void xRateLimitAndNoneStyles() throws Exception {
    try (GatewayHarness h = new GatewayHarness()) {
      h.dataPlaneSpec("  rateLimitHeaders: XRateLimit\n");
      h.file("policy.yaml", policy("p", ROUTE, "    - {name: l, requests: 2, window: Second}\n"));
      h.serve(RULES);
      HttpResponse<String> ok = h.get("/one");
      assertThat(ok.headers().firstValue("x-ratelimit-limit")).hasValue("2");
      assertThat(ok.headers().firstValue("x-ratelimit-remaining")).hasValue("1");
      assertThat(ok.headers().firstValue("x-ratelimit-reset")).hasValue("1");
      assertThat(ok.headers().firstValue("ratelimit")).isEmpty();
      h.dataPlaneSpec("  rateLimitHeaders: None\n");
      h.serve(RULES);
      HttpResponse<String> none = h.get("/one");
      assertThat(none.statusCode()).isEqualTo(200); // counters survived: the limit is unchanged
      assertThat(none.headers().map().keySet())
          .noneMatch(n -> n.toLowerCase().contains("ratelimit"));
      HttpResponse<String> refused = h.get("/one");
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("retry-after")).isPresent();
    }
  }

  @Test
  void proxiedResponsesCarryTheFieldsToo() throws Exception {
    try (GatewayHarness h = new GatewayHarness()) {
      h.backend("a");
      h.file("policy.yaml", policy("p", ROUTE, "    - {name: l, requests: 5, window: Hour}\n"));
      h.serve(
          """
              - matches: [{path: {type: PathPrefix, value: /}}]
                backends: [{name: a, port: 80}]
          """);
      HttpResponse<String> r = h.get("/x");
      assertThat(new JsonObject(r.body()).getString("name")).isEqualTo("a");
      assertThat(r.headers().firstValue("ratelimit"))
          .hasValueSatisfying(v -> assertThat(v).contains(";r=4;"));
    }
  }

  @Test
  void gatewayMadeErrorsKeepTheFields() throws Exception {
    try (GatewayHarness h = new GatewayHarness()) {
      h.deadService("dead");
      h.file("policy.yaml", policy("p", ROUTE, "    - {name: l, requests: 5, window: Hour}\n"));
      h.serve(
          """
              - matches: [{path: {type: PathPrefix, value: /}}]
                backends: [{name: dead, port: 80}]
          """);
      HttpResponse<String> r = h.get("/x");
      assertThat(r.statusCode()).isEqualTo(502);
      assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
      assertThat(r.headers().firstValue("ratelimit")).hasValue("\"l\";r=4;t=720");
      assertThat(r.headers().firstValue("ratelimit-policy")).hasValue("\"l\";q=5;w=3600");
    }
  }

  @Test
  void clientAddressKeysIsolateClientsOnlyBehindTrustedHops() throws Exception {
    String limit =
        "    - {name: per-client, requests: 1, window: Hour, key: {type: ClientAddress}}\n";
    try (GatewayHarness h = new GatewayHarness()) {
      h.file("policy.yaml", policy("p", ROUTE, limit));
      h.serve(RULES);
      assertThat(h.get("/one").statusCode()).isEqualTo(200);
      // An untrusted peer cannot buy a fresh bucket with a forged X-Forwarded-For.
      assertThat(h.get("/one", "X-Forwarded-For", "203.0.113.9").statusCode()).isEqualTo(429);
      assertThat(h.get("/one", "X-Forwarded-For", "203.0.113.10").statusCode()).isEqualTo(429);
    }
    try (GatewayHarness h = new GatewayHarness()) {
      h.proxySettings("    trustedHops: 1\n");
      h.file("policy.yaml", policy("p", ROUTE, limit));
      h.serve(RULES);
      assertThat(h.get("/one", "X-Forwarded-For", "203.0.113.9").statusCode()).isEqualTo(200);
      assertThat(h.get("/one", "X-Forwarded-For", "203.0.113.9").statusCode()).isEqualTo(429);
      // Behind a trusted proxy, each client has its own bucket.
      assertThat(h.get("/one", "X-Forwarded-For", "203.0.113.10").statusCode()).isEqualTo(200);
      // Only the trusted hop counts: a forged entry to its left changes nothing.
      assertThat(h.get("/one", "X-Forwarded-For", "198.51.100.1, 203.0.113.10").statusCode())
          .isEqualTo(429);
    }
  }

  @Test
  void headerKeyCountsAbsentAsOneClient() throws Exception {
    try (GatewayHarness h = new GatewayHarness()) {
      h.file(
          "policy.yaml",
          policy(
              "p",
              ROUTE,
              "    - {name: per-key, requests: 1, window: Hour, key: {type: Header, header:"
                  + " X-Api-Key}}\n"));
      h.serve(RULES);
      assertThat(h.get("/one", "X-Api-Key", "alpha").statusCode()).isEqualTo(200);
      assertThat(h.get("/one", "X-Api-Key", "alpha").statusCode()).isEqualTo(429);
      assertThat(h.get("/one", "X-Api-Key", "beta").statusCode()).isEqualTo(200);
      assertThat(h.get("/one").statusCode()).isEqualTo(200);
      assertThat(h.get("/one").statusCode()).isEqualTo(429);
    }
  }

  @Test
  void dataPlaneLimitIsSharedAcrossRoutesUnlessPerRoute() throws Exception {
    String other =
        """
        apiVersion: portico.dev/v1alpha1
        kind: GatewayRoute
        metadata: {name: other, namespace: default}
        spec:
          parentRefs: [{name: test}]
          rules:
            - matches: [{path: {type: PathPrefix, value: /other}}]
              filters:
                - type: DirectResponse
                  directResponse: {statusCode: 200, body: other}
        """;
    try (GatewayHarness h = new GatewayHarness()) {
      h.file("other.yaml", other);
      h.file("policy.yaml", policy("p", DATAPLANE, "    - {name: l, requests: 2, window: Hour}\n"));
      h.serve(RULES);
      assertThat(h.get("/one").statusCode()).isEqualTo(200);
      assertThat(h.get("/other").statusCode()).isEqualTo(200);
      assertThat(h.get("/two").statusCode()).isEqualTo(429);
      assertThat(h.get("/other").statusCode()).isEqualTo(429);
    }
    try (GatewayHarness h = new GatewayHarness()) {
      h.file("other.yaml", other);
      h.file(
          "policy.yaml",
          policy("p", DATAPLANE, "    - {name: l, requests: 1, window: Hour, perRoute: true}\n"));
      h.serve(RULES);
      assertThat(h.get("/one").statusCode()).isEqualTo(200);
      assertThat(h.get("/other").statusCode()).isEqualTo(200);
      // One counter per GatewayRoute: rules one and two belong to the same route.
      assertThat(h.get("/two").statusCode()).isEqualTo(429);
      assertThat(h.get("/other").statusCode()).isEqualTo(429);
    }
  }

  @Test
  void limitOnOneNamedRuleLeavesTheOthersAlone() throws Exception {
    try (GatewayHarness h = new GatewayHarness()) {
      h.file(
          "policy.yaml",
          policy(
              "p",
              "{kind: GatewayRoute, name: r, ruleName: one}",
              "    - {name: l, requests: 1, window: Hour}\n"));
      h.serve(RULES);
      assertThat(h.get("/one").statusCode()).isEqualTo(200);
      assertThat(h.get("/one").statusCode()).isEqualTo(429);
      for (int i = 0; i < 5; i++) {
        HttpResponse<String> two = h.get("/two");
        assertThat(two.statusCode()).isEqualTo(200);
        assertThat(two.headers().firstValue("ratelimit")).isEmpty();
      }
    }
  }

  @Test
  void countersSurviveSwapsThatKeepTheLimitAndRestartWhenItChanges() throws Exception {
    try (GatewayHarness h = new GatewayHarness()) {
      h.file("policy.yaml", policy("p", ROUTE, "    - {name: l, requests: 2, window: Hour}\n"));
      h.serve(RULES);
      assertThat(h.get("/one").statusCode()).isEqualTo(200);
      assertThat(h.get("/one").statusCode()).isEqualTo(200);
      // Another snapshot (a new rule), the same limit: still exhausted.
      h.serve(
          RULES
              + """
                  - matches: [{path: {type: Exact, value: /three}}]
                    filters:
                      - type: DirectResponse
                        directResponse: {statusCode: 200, body: three}
              """);
      assertThat(h.gateway.current().snapshot().rules()).hasSize(3);
      assertThat(h.get("/one").statusCode()).isEqualTo(429);
      // A changed rate starts afresh.
      h.file("policy.yaml", policy("p", ROUTE, "    - {name: l, requests: 3, window: Hour}\n"));
      h.serve(RULES);
      for (int i = 0; i < 3; i++) {
        assertThat(h.get("/one").statusCode()).isEqualTo(200);
      }
      assertThat(h.get("/one").statusCode()).isEqualTo(429);
    }
  }

  @Test
  void allLimitsApplyAndARefusalCostsTheOthersNothing() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (GatewayHarness h = new GatewayHarness(new ProxyMetrics(registry), null)) {
      h.file(
          "policy.yaml",
          policy(
              "p",
              ROUTE,
              """
                  - {name: roomy, requests: 5, window: Hour}
                  - {name: per-key, requests: 1, window: Hour, key: {type: Header, header: X-Key}}
              """));
      h.file(
          "global.yaml",
          policy("g", ROUTE, "    - {name: shared, requests: 1, window: Hour, scope: Global}\n"));
      h.serve(RULES);
      HttpResponse<String> first = h.get("/one", "X-Key", "a");
      assertThat(first.statusCode()).isEqualTo(200);
      // Least remaining is reported: per-key has 0 left, roomy 4.
      assertThat(first.headers().firstValue("ratelimit")).hasValue("\"per-key\";r=0;t=3600");
      // Refused by per-key three times: roomy loses nothing.
      for (int i = 0; i < 3; i++) {
        assertThat(h.get("/one", "X-Key", "a").statusCode()).isEqualTo(429);
      }
      // No Redis store: the Global limit (1 per hour, failure policy Open) admits these.
      for (int i = 0; i < 4; i++) {
        assertThat(h.get("/one", "X-Key", "k" + i).statusCode()).isEqualTo(200);
      }
      assertThat(h.get("/one", "X-Key", "k9").statusCode()).isEqualTo(429); // roomy is spent
      assertThat(
              registry
                  .get("portico.ratelimit.requests")
                  .tags("limit", "default/p/per-key", "result", "limited")
                  .counter()
                  .count())
          .isEqualTo(3);
      assertThat(
              registry
                  .get("portico.ratelimit.requests")
                  .tags("limit", "default/p/roomy", "result", "allowed")
                  .counter()
                  .count())
          .isEqualTo(5);
      assertThat(
              registry
                  .find("portico.ratelimit.requests")
                  .tag("limit", "default/g/shared")
                  .counter())
          .isNull();
      assertThat(registry.get("portico.ratelimit.buckets").gauge().value()).isGreaterThan(1);
    }
  }
}
