package dev.portico.dataplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portico.dataplane.accesslog.AccessLog;
import dev.portico.dataplane.metrics.ProxyMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Requests served through the gateway reach the metrics and the access log, per rule. */
class ObservabilityTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ProxyMetrics metrics = new ProxyMetrics(registry);
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
  private final AccessLog accessLog = new AccessLog(logged, 1024, metrics);
  private GatewayHarness gateway;

  @AfterEach
  void stop() throws Exception {
    gateway.close();
  }

  @Test
  void servedAndUnroutedRequestsAreCountedAndLogged() throws Exception {
    gateway = new GatewayHarness(metrics, accessLog);
    TestBackend backend = gateway.backend("a");
    gateway.serve(
        """
            - matches: [{path: {type: PathPrefix, value: /api}}]
              backends: [{name: a, port: 80}]
        """);

    assertThat(gateway.get("/api/items?token=secret").statusCode()).isEqualTo(200);
    assertThat(gateway.get("/api/items").statusCode()).isEqualTo(200);
    assertThat(gateway.get("/elsewhere").statusCode()).isEqualTo(404);

    // Records are written when the response has ended, just after the client sees it.
    awaitValue(() -> count("default/r/0", "2xx"), 2.0);
    awaitValue(() -> count("none", "4xx"), 1.0);

    accessLog.close();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : logged.toString(StandardCharsets.UTF_8).split("\n")) {
      lines.add(new ObjectMapper().readTree(line));
    }
    assertThat(lines).hasSize(3);
    JsonNode served = lines.get(0);
    assertThat(served.get("path").asText()).isEqualTo("/api/items");
    assertThat(served.toString()).doesNotContain("secret");
    assertThat(served.get("status").asInt()).isEqualTo(200);
    assertThat(served.get("route").asText()).isEqualTo("default/r/0");
    assertThat(served.get("upstream").asText()).isEqualTo("127.0.0.1:" + backend.port());
    assertThat(served.get("protocol").asText()).isEqualTo("HTTP/1.1");
    assertThat(served.get("requestId").asText()).isNotBlank();
    JsonNode unrouted = lines.get(2);
    assertThat(unrouted.get("status").asInt()).isEqualTo(404);
    assertThat(unrouted.get("route").isNull()).isTrue();
  }

  private double count(String route, String statusClass) {
    Counter c =
        registry
            .find("portico.requests")
            .tag("route", route)
            .tag("method", "GET")
            .tag("status_class", statusClass)
            .counter();
    return c == null ? 0 : c.count();
  }

  private static void awaitValue(Supplier<Double> actual, double expected)
      throws InterruptedException {
    for (int i = 0; i < 100 && actual.get() < expected; i++) {
      Thread.sleep(50);
    }
    assertThat(actual.get()).isEqualTo(expected);
  }
}
