package dev.portico.dataplane.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portico.dataplane.metrics.ProxyMetrics;
import dev.portico.snapshot.ActionConfig;
import dev.portico.snapshot.BackendConfig;
import dev.portico.snapshot.HeaderEdits;
import dev.portico.snapshot.ListenerConfig;
import dev.portico.snapshot.LoadBalancerConfig;
import dev.portico.snapshot.MatchConfig;
import dev.portico.snapshot.ProxySettingsConfig;
import dev.portico.snapshot.RateLimitConfig;
import dev.portico.snapshot.RequestEdits;
import dev.portico.snapshot.RetryConfig;
import dev.portico.snapshot.RouteEntry;
import dev.portico.snapshot.RuleConfig;
import dev.portico.snapshot.Snapshot;
import dev.portico.snapshot.TimeoutsConfig;
import dev.portico.snapshot.TlsCertificate;
import dev.portico.snapshot.VirtualHost;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final State state = new State();
  private Vertx vertx;
  private AdminServer server;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server = await(AdminServer.start(vertx, "127.0.0.1", 0, state, registry));
    assertThat(server.port()).isPositive();
  }

  @AfterEach
  void stop() throws Exception {
    await(server.close());
    await(vertx.close());
  }

  @Test
  void healthzAnswersOkWhileLive() throws Exception {
    HttpResponse<String> ok = send("GET", "/healthz");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("ok");
    assertThat(ok.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");

    for (HttpClient.Version version : HttpClient.Version.values()) {
      HttpResponse<String> head = send(version, "HEAD", "/healthz");
      assertThat(head.statusCode()).as("%s", version).isEqualTo(200);
      assertThat(head.body()).as("%s", version).isEmpty();
    }

    state.live = false;
    assertProblem(send("GET", "/healthz"), 503, "not-live");
  }

  @Test
  void readyzNeedsASnapshotAndReadiness() throws Exception {
    state.ready = true;
    JsonNode problem = assertProblem(send("GET", "/readyz"), 503, "not-ready");
    assertThat(problem.get("detail").asText()).contains("snapshot");

    state.snapshot = snapshot("v1");
    state.ready = false;
    assertProblem(send("GET", "/readyz"), 503, "not-ready");

    state.ready = true;
    HttpResponse<String> ready = send("GET", "/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("ok");
    assertThat(send("HEAD", "/readyz").statusCode()).isEqualTo(200);
  }

  @Test
  void metricsServesThePrometheusTextFormat() throws Exception {
    ProxyMetrics metrics = new ProxyMetrics(registry);
    metrics.request("shop/catalog/0", "GET", 200, 3_000_000);
    metrics.snapshotLoaded("v1", 1);

    HttpResponse<String> response = send("GET", "/metrics?name=ignored");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.body())
        .contains(
            "portico_requests_total{method=\"GET\",route=\"shop/catalog/0\",status_class=\"2xx\"}"
                + " 1.0")
        .contains("portico_snapshot_info{version=\"v1\"} 1")
        .contains("# TYPE portico_request_duration_seconds histogram");
  }

  @Test
  void snapshotServesTheLoadedSnapshotAsJson() throws Exception {
    assertProblem(send("GET", "/snapshot"), 404, "no-snapshot");

    Snapshot v1 = snapshot("v1");
    state.snapshot = v1;
    HttpResponse<String> first = send("GET", "/snapshot");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(first.headers().firstValue("etag")).hasValue("\"v1\"");
    assertThat(JSON.readValue(first.body(), Snapshot.class)).isEqualTo(v1);
    assertThat(send("GET", "/snapshot").body()).isEqualTo(first.body());

    Snapshot v2 = snapshot("v2");
    state.snapshot = v2;
    HttpResponse<String> second = send("GET", "/snapshot");
    assertThat(JSON.readValue(second.body(), Snapshot.class)).isEqualTo(v2);
    assertThat(second.headers().firstValue("etag")).hasValue("\"v2\"");
  }

  @Test
  void snapshotViewRedactsPrivateKeys() throws Exception {
    Snapshot plain = snapshot("v3");
    String key =
        "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1ieXRlcw==\n-----END PRIVATE KEY-----\n";
    ListenerConfig https =
        new ListenerConfig(
            "https",
            8443,
            "HTTPS",
            List.of(new TlsCertificate("infra/shop-cert", "-----BEGIN CERTIFICATE-----\n", key)),
            plain.listeners().get(0).virtualHosts());
    state.snapshot =
        new Snapshot(
            plain.dataPlane(),
            plain.version(),
            plain.proxy(),
            List.of(plain.listeners().get(0), https),
            plain.rules(),
            plain.rateLimits(),
            plain.dataPlaneRateLimits(),
            null,
            null,
            null);
    String body = send("GET", "/snapshot").body();
    assertThat(body).doesNotContain("c2VjcmV0LWtleS1ieXRlcw").contains("<redacted>");
    assertThat(body).contains("infra/shop-cert").contains("BEGIN CERTIFICATE");
  }

  @Test
  void unknownPathsAre404AndOtherMethods405() throws Exception {
    assertProblem(send("GET", "/"), 404, "not-found");
    assertProblem(send("GET", "/healthz/"), 404, "not-found");
    assertProblem(send("GET", "/metrics/../snapshot"), 404, "not-found");

    for (String path : List.of("/healthz", "/readyz", "/metrics", "/snapshot")) {
      for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
        HttpResponse<String> response = send(method, path);
        assertProblem(response, 405, "method-not-allowed");
        assertThat(response.headers().firstValue("allow")).hasValue("GET, HEAD");
      }
    }
  }

  private JsonNode assertProblem(HttpResponse<String> response, int status, String type)
      throws Exception {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.get("type").asText()).isEqualTo("https://portico.dev/problems/" + type);
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("title").asText()).isNotBlank();
    assertThat(problem.get("detail").asText()).isNotBlank();
    return problem;
  }

  private HttpResponse<String> send(String method, String pathAndQuery) throws Exception {
    return send(HttpClient.Version.HTTP_1_1, method, pathAndQuery);
  }

  private HttpResponse<String> send(HttpClient.Version version, String method, String pathAndQuery)
      throws Exception {
    HttpRequest.BodyPublisher body =
        method.equals("GET") || method.equals("HEAD") || method.equals("DELETE")
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString("{}");
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery))
            .method(method, body)
            .version(version)
            .timeout(Duration.ofSeconds(5))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  /** A snapshot that uses most of the model, so the JSON round trip covers it. */
  static Snapshot snapshot(String version) {
    MatchConfig match =
        new MatchConfig(
            MatchConfig.PathType.PathPrefix,
            "/catalog",
            "GET",
            List.of(new MatchConfig.ValueMatch("x-tenant", "a.*", true)),
            List.of(new MatchConfig.ValueMatch("debug", "1", false)));
    RuleConfig rule =
        new RuleConfig(
            "shop/catalog/0",
            "shop/catalog",
            "products",
            new RequestEdits(
                new HeaderEdits(
                    List.of(new HeaderEdits.Header("x-gw", "portico")), List.of(), List.of()),
                null,
                null),
            HeaderEdits.NONE,
            ActionConfig.proxy(List.of(new BackendConfig("shop/catalog", 8080, "http", "9001", 1))),
            new TimeoutsConfig(5_000L, null, 1_000L),
            new RetryConfig(2, List.of("ConnectFailure", "Status503"), 500L, 25, 250, 20, false),
            LoadBalancerConfig.ROUND_ROBIN,
            List.of("shop/limits/0"),
            null,
            null);
    ListenerConfig listener =
        new ListenerConfig(
            "http",
            8080,
            "HTTP",
            List.of(),
            List.of(
                new VirtualHost("shop.example.com", List.of(new RouteEntry(match, rule.id())))));
    return new Snapshot(
        "portico/public",
        version,
        new ProxySettingsConfig(1, true, false, 8192, 100, 4096, 0, 10_000, 60_000, 1_000, 15_000),
        List.of(listener),
        List.of(rule),
        List.of(
            new RateLimitConfig(
                "shop/limits/0",
                100,
                60,
                100,
                "ClientAddress",
                null,
                "Local",
                null,
                false,
                List.of(),
                null)),
        List.of(),
        null,
        null,
        null);
  }

  /** Mutable probe answers for the tests. */
  private static final class State implements AdminState {
    volatile boolean live = true;
    volatile boolean ready;
    volatile Snapshot snapshot;

    @Override
    public boolean live() {
      return live;
    }

    @Override
    public boolean ready() {
      return ready;
    }

    @Override
    public Snapshot snapshot() {
      return snapshot;
    }
  }
}
