package dev.portico.dataplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.snapshot.ActionConfig;
import dev.portico.snapshot.RuleConfig;
import dev.portico.snapshot.Snapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ProxyMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ProxyMetrics metrics = new ProxyMetrics(registry);

  @Test
  void countsRequestsByRouteMethodAndStatusClass() {
    metrics.request("shop/catalog/0", "GET", 200, 1_000_000);
    metrics.request("shop/catalog/0", "GET", 204, 1_000_000);
    metrics.request("shop/catalog/0", "POST", 503, 1_000_000);
    metrics.request(null, "GET", 404, 1_000_000);

    assertThat(requests("shop/catalog/0", "GET", "2xx").count()).isEqualTo(2);
    assertThat(requests("shop/catalog/0", "POST", "5xx").count()).isEqualTo(1);
    assertThat(requests("none", "GET", "4xx").count()).isEqualTo(1);
    assertThat(registry.find("portico.requests").counters()).hasSize(3);
  }

  @Test
  void recordsDurationAsAPercentileHistogramPerRouteAndStatusClass() {
    metrics.request("shop/catalog/0", "GET", 200, TimeUnit.MILLISECONDS.toNanos(12));
    metrics.request("shop/catalog/0", "HEAD", 200, TimeUnit.MILLISECONDS.toNanos(30));

    Timer timer =
        registry
            .get("portico.request.duration")
            .tag("route", "shop/catalog/0")
            .tag("status_class", "2xx")
            .timer();
    assertThat(timer.count()).isEqualTo(2);
    assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(42.0);
    assertThat(timer.getId().getTag("method")).isNull();

    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ProxyMetrics(prometheus).request("r/x/0", "GET", 200, 5_000_000);
    assertThat(prometheus.scrape())
        .contains(
            "portico_request_duration_seconds_bucket{route=\"r/x/0\",status_class=\"2xx\",le=");
  }

  @Test
  void boundsMethodAndStatusTagsToFixedSets() {
    for (int i = 0; i < 200; i++) {
      metrics.request("r/x/0", "INVENTED" + i, 200, 1);
      metrics.request("r/x/0", "GET", 600 + i, 1);
    }
    metrics.request("r/x/0", "get", 0, 1);

    Set<String> methods = tagValues("portico.requests", "method");
    Set<String> classes = tagValues("portico.requests", "status_class");
    assertThat(methods).containsExactlyInAnyOrder("OTHER", "GET");
    assertThat(classes).containsExactlyInAnyOrder("2xx", "unknown");
    assertThat(requests("r/x/0", "OTHER", "2xx").count()).isEqualTo(200);
    assertThat(requests("r/x/0", "OTHER", "unknown").count()).isEqualTo(1);
  }

  @Test
  void capsDistinctRoutesAndFoldsTheRestIntoOther() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ProxyMetrics capped = new ProxyMetrics(registry, 3);
    for (int i = 0; i < 100; i++) {
      capped.request("ns/route/" + i, "GET", 200, 1);
      capped.retry("ns/route/" + i);
      capped.upstreamConnectError("ns/svc-" + i);
    }
    capped.request(null, "GET", 404, 1);

    Set<String> routes = tagValues(registry, "portico.requests", "route");
    assertThat(routes)
        .containsExactlyInAnyOrder("ns/route/0", "ns/route/1", "ns/route/2", "other", "none");
    assertThat(
            registry
                .get("portico.requests")
                .tags("route", "other", "method", "GET", "status_class", "2xx")
                .counter()
                .count())
        .isEqualTo(97);
    assertThat(tagValues(registry, "portico.retries", "route")).hasSize(4);
    assertThat(tagValues(registry, "portico.upstream.connect.errors", "backend")).hasSize(4);
    assertThat(registry.get("portico.retries").tag("route", "other").counter().count())
        .isEqualTo(97);
  }

  @Test
  void snapshotInfoShowsOnlyTheCurrentVersion() {
    metrics.snapshotLoaded("aaa", 4);
    metrics.snapshotLoaded("bbb", 7);
    metrics.snapshotLoaded("bbb", 7);

    List<Gauge> info = List.copyOf(registry.find("portico.snapshot.info").gauges());
    assertThat(info).hasSize(1);
    assertThat(info.get(0).getId().getTag("version")).isEqualTo("bbb");
    assertThat(info.get(0).value()).isEqualTo(1.0);
    assertThat(registry.get("portico.snapshot.rules").gauge().value()).isEqualTo(7.0);
  }

  @Test
  void loadingASnapshotDropsTheMetersOfRulesItNoLongerHas() {
    metrics.request("shop/a/0", "GET", 200, 1);
    metrics.request("shop/b/0", "GET", 200, 1);
    metrics.retry("shop/b/0");
    metrics.request(null, "GET", 404, 1);

    metrics.snapshotLoaded(snapshot("v2", "shop/a/0"));

    assertThat(tagValues("portico.requests", "route"))
        .containsExactlyInAnyOrder("shop/a/0", "none");
    assertThat(tagValues("portico.request.duration", "route"))
        .containsExactlyInAnyOrder("shop/a/0", "none");
    assertThat(registry.find("portico.retries").counters()).isEmpty();
    assertThat(registry.get("portico.snapshot.rules").gauge().value()).isEqualTo(1.0);

    // A route that comes back starts again from zero.
    metrics.request("shop/b/0", "GET", 200, 1);
    assertThat(requests("shop/b/0", "GET", "2xx").count()).isEqualTo(1);
  }

  @Test
  void tracksConnectionsAndOperationalCounters() {
    metrics.connectionOpened();
    metrics.connectionOpened();
    metrics.connectionClosed();
    metrics.snapshotRejected();
    metrics.accessLogDropped();
    metrics.accessLogDropped();
    metrics.ejection("shop/catalog:8080");

    assertThat(registry.get("portico.connections.active").gauge().value()).isEqualTo(1.0);
    assertThat(registry.get("portico.snapshot.rejected").counter().count()).isEqualTo(1);
    assertThat(registry.get("portico.accesslog.dropped").counter().count()).isEqualTo(2);
    assertThat(
            registry
                .get("portico.upstream.ejections")
                .tag("backend", "shop/catalog:8080")
                .counter()
                .count())
        .isEqualTo(1);
  }

  private Counter requests(String route, String method, String statusClass) {
    return registry
        .get("portico.requests")
        .tag("route", route)
        .tag("method", method)
        .tag("status_class", statusClass)
        .counter();
  }

  private Set<String> tagValues(String meter, String tag) {
    return tagValues(registry, meter, tag);
  }

  private static Set<String> tagValues(MeterRegistry registry, String meter, String tag) {
    return registry.find(meter).meters().stream()
        .map(m -> m.getId().getTag(tag))
        .collect(Collectors.toSet());
  }

  private static Snapshot snapshot(String version, String... ruleIds) {
    List<RuleConfig> rules =
        java.util.Arrays.stream(ruleIds)
            .map(
                id ->
                    new RuleConfig(
                        id,
                        "shop/a",
                        null,
                        null,
                        null,
                        ActionConfig.proxy(List.of()),
                        null,
                        null,
                        null,
                        List.of(),
                        null,
                        null))
            .toList();
    return new Snapshot(
        "portico/public", version, null, List.of(), rules, List.of(), List.of(), null, null, null);
  }
}
