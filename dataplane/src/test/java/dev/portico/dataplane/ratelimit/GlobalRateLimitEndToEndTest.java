package dev.portico.dataplane.ratelimit;

import static dev.portico.dataplane.ratelimit.RateLimitEndToEndTest.ROUTE;
import static dev.portico.dataplane.ratelimit.RateLimitEndToEndTest.RULES;
import static dev.portico.dataplane.ratelimit.RateLimitEndToEndTest.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.dataplane.metrics.ProxyMetrics;
import dev.portico.dataplane.server.GatewayHarness;
import dev.portico.testing.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Global rate limits through real gateways on loopback (configured as in standalone mode) sharing a
 * real redis-server that requires a password, given by a labelled Secret.
 */
class GlobalRateLimitEndToEndTest {
  private static final String PASSWORD = "gl0bal-s3cret";

  static RedisServer redis;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start(PASSWORD);
  }

  @AfterAll
  static void stop() throws Exception {
    redis.close();
  }

  /**
   * A DataPlane pointing at the test Redis, and its password Secret. The step timeout is generous:
   * a busy test machine must not turn a slow first answer into a failure-policy decision (an
   * unreachable Redis still fails at once: the connection is refused).
   */
  private static GatewayHarness withRedis(GatewayHarness h) throws Exception {
    h.dataPlaneSpec(
        ("  redis: {address: '127.0.0.1:%d', passwordSecretRef: {name: redis-auth},"
                + " timeout: 2s}\n")
            .formatted(redis.port()));
    h.file(
        "secret.yaml",
        """
        apiVersion: v1
        kind: Secret
        metadata:
          name: redis-auth
          namespace: default
          labels: {portico.dev/credential: "true"}
        stringData: {password: %s}
        """
            .formatted(PASSWORD));
    return h;
  }

  @Test
  void twoReplicasShareOneCounterAndReportItsFields() throws Exception {
    String limit = "    - {name: shared, requests: 3, window: Hour, scope: Global}\n";
    try (GatewayHarness a = withRedis(new GatewayHarness());
        GatewayHarness b = withRedis(new GatewayHarness())) {
      for (GatewayHarness h : new GatewayHarness[] {a, b}) {
        h.file("policy.yaml", policy("p1", ROUTE, limit));
        h.serve(RULES);
      }
      HttpResponse<String> first = a.get("/one");
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.headers().firstValue("ratelimit-policy")).hasValue("\"shared\";q=3;w=3600");
      assertThat(first.headers().firstValue("ratelimit"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("\"shared\";r=2;t="));
      assertThat(b.get("/one").statusCode()).isEqualTo(200);
      assertThat(a.get("/two").statusCode()).isEqualTo(200);
      // The third request went to replica a; replica b refuses the fourth: one counter for both.
      HttpResponse<String> refused = b.get("/one");
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("content-type")).hasValue("application/problem+json");
      assertThat(refused.headers().firstValue("retry-after"))
          .hasValueSatisfying(
              v -> {
                assertThat(Long.parseLong(v)).isBetween(1_195L, 1_200L);
              });
      assertThat(new JsonObject(refused.body()).getString("detail")).contains("shared");
    }
  }

  @Test
  void aGlobalRefusalGivesTheLocalTokensBack() throws Exception {
    String limits =
        """
            - {name: local, requests: 5, window: Hour}
            - {name: global, requests: 1, window: Hour, scope: Global, key: {type: Header, header: X-Key}}
        """;
    try (GatewayHarness h = withRedis(new GatewayHarness())) {
      h.file("policy.yaml", policy("p2", ROUTE, limits));
      h.serve(RULES);
      assertThat(h.get("/one", "X-Key", "a").statusCode()).isEqualTo(200);
      for (int i = 0; i < 6; i++) {
        assertThat(h.get("/one", "X-Key", "a").statusCode()).isEqualTo(429);
      }
      // Six refusals by the Global limit cost the Local one nothing: 4 of 5 are left.
      HttpResponse<String> other = h.get("/one", "X-Key", "b");
      assertThat(other.statusCode()).isEqualTo(200);
      assertThat(other.headers().firstValue("ratelimit"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("\"global\";r=0;"));
      for (int i = 0; i < 3; i++) {
        assertThat(h.get("/one", "X-Key", "c" + i).statusCode()).isEqualTo(200);
      }
      HttpResponse<String> spent = h.get("/one", "X-Key", "d");
      assertThat(spent.statusCode()).isEqualTo(429);
      assertThat(spent.headers().firstValue("ratelimit-policy")).hasValue("\"local\";q=5;w=3600");
    }
  }

  @Test
  void whenConditionsChooseWhichRequestsCount() throws Exception {
    String limits =
        """
            - name: writes
              requests: 1
              window: Hour
              scope: Global
              when: [{method: POST}]
            - name: exact
              requests: 1
              window: Hour
              when: [{path: {type: Exact, value: /two/x}, headers: [{name: X-Tier, value: free}]}]
        """;
    try (GatewayHarness h = withRedis(new GatewayHarness())) {
      h.file("policy.yaml", policy("p3", ROUTE, limits));
      h.serve(RULES);
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> read = h.get("/one");
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("ratelimit")).isEmpty(); // no limit applied
      }
      assertThat(post(h, "/one").statusCode()).isEqualTo(200);
      assertThat(post(h, "/one").statusCode()).isEqualTo(429);
      assertThat(h.get("/two/x").statusCode()).isEqualTo(200); // no X-Tier: not counted
      assertThat(h.get("/two/x", "X-Tier", "free").statusCode()).isEqualTo(200);
      assertThat(h.get("/two/x", "X-Tier", "free").statusCode()).isEqualTo(429);
      assertThat(h.get("/two/x/y", "X-Tier", "free").statusCode()).isEqualTo(200); // not Exact
      // Matched on the normalized path: dot segments do not escape the condition.
      assertThat(h.get("/two/y/../x", "X-Tier", "free").statusCode()).isEqualTo(429);
    }
  }

  @Test
  void whileRedisIsDownOpenLimitsAdmitAndClosedOnesAnswer503() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    String rules =
        """
            - name: open
              matches: [{path: {type: PathPrefix, value: /open}}]
              filters:
                - type: DirectResponse
                  directResponse: {statusCode: 200, body: open}
            - name: closed
              matches: [{path: {type: PathPrefix, value: /closed}}]
              filters:
                - type: DirectResponse
                  directResponse: {statusCode: 200, body: closed}
        """;
    String limits =
        """
            - {name: lenient, requests: 1000, window: Minute, scope: Global, failurePolicy: Open}
        """;
    String strict =
        """
            - {name: strict, requests: 1000, window: Minute, scope: Global, failurePolicy: Closed}
        """;
    try (GatewayHarness h = withRedis(new GatewayHarness(new ProxyMetrics(registry), null))) {
      h.file(
          "policy-open.yaml",
          policy("open", "{kind: GatewayRoute, name: r, ruleName: open}", limits));
      h.file(
          "policy-closed.yaml",
          policy("closed", "{kind: GatewayRoute, name: r, ruleName: closed}", strict));
      h.serve(rules);
      assertThat(h.get("/open").statusCode()).isEqualTo(200);
      assertThat(h.get("/closed").statusCode()).isEqualTo(200);
      redis.stop();
      try {
        for (int i = 0; i < 30; i++) {
          HttpResponse<String> open = h.get("/open");
          assertThat(open.statusCode()).isEqualTo(200);
          HttpResponse<String> closed = h.get("/closed");
          assertThat(closed.statusCode()).isEqualTo(503);
          assertThat(new JsonObject(closed.body()).getString("type"))
              .isEqualTo("https://portico.dev/problems/rate-limit-unavailable");
          assertThat(closed.headers().firstValue("retry-after")).isPresent();
          assertThat(closed.headers().firstValue("ratelimit")).isEmpty(); // no quota is known
        }
        // The circuit opened: most decisions did not wait for Redis at all.
        assertThat(
                registry
                    .get("portico.ratelimit.redis.failures")
                    .tag("kind", "circuit_open")
                    .counter()
                    .count())
            .isPositive();
        assertThat(
                registry
                    .get("portico.ratelimit.redis.fallbacks")
                    .tag("failure_policy", "Closed")
                    .counter()
                    .count())
            .isEqualTo(30);
      } finally {
        redis.start();
      }
    }
  }

  @Test
  void withoutAStoreGlobalLimitsDecideByTheirFailurePolicy() throws Exception {
    String limits =
        """
            - {name: strict, requests: 1000, window: Minute, scope: Global, failurePolicy: Closed}
        """;
    try (GatewayHarness h = new GatewayHarness()) {
      h.file("policy.yaml", policy("p4", ROUTE, limits));
      h.serve(RULES);
      HttpResponse<String> r = h.get("/one");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(new JsonObject(r.body()).getString("detail")).contains("strict");
    }
  }

  private static HttpResponse<String> post(GatewayHarness h, String path) throws Exception {
    return h.http.send(
        HttpRequest.newBuilder(h.uri(path)).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
