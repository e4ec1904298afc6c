package dev.portico.dataplane;

import dev.portico.dataplane.accesslog.AccessLog;
import dev.portico.dataplane.admin.AdminServer;
import dev.portico.dataplane.metrics.ProxyMetrics;
import dev.portico.dataplane.proxy.EndpointRegistry;
import dev.portico.dataplane.server.Gateway;
import dev.portico.dataplane.server.InspectingTransport;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every data-plane process runs whatever feeds it snapshots (a folder or the operator): the
 * Vert.x instance, the gateway with its metrics and access log, the admin port, and the drain on
 * SIGTERM/SIGINT.
 */
final class GatewayRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayRuntime.class);

  final Vertx vertx;
  final Gateway gateway;
  final AdminServer admin;
  private final AccessLog accessLog;
  private final long drainMillis;

  private GatewayRuntime(
      Vertx vertx, Gateway gateway, AdminServer admin, AccessLog accessLog, long drainMillis) {
    this.vertx = vertx;
    this.gateway = gateway;
    this.admin = admin;
    this.accessLog = accessLog;
    this.drainMillis = drainMillis;
  }

  /** Starts the gateway (serving nothing until a snapshot is applied) and the admin port. */
  static GatewayRuntime start(String bind, int adminPort, long drainMillis) throws Exception {
    InspectingTransport transport = InspectingTransport.create();
    Vertx vertx = Vertx.builder().withTransport(transport).build();
    LOG.info("network transport: {}", transport.name());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ProxyMetrics metrics = new ProxyMetrics(registry);
    AccessLog accessLog = AccessLog.toStdout(metrics);
    Gateway gateway =
        new Gateway(
            vertx,
            bind,
            Runtime.getRuntime().availableProcessors(),
            drainMillis,
            new EndpointRegistry(),
            metrics,
            accessLog);
    AdminServer admin = await(AdminServer.start(vertx, bind, adminPort, gateway, registry), 10_000);
    return new GatewayRuntime(vertx, gateway, admin, accessLog, drainMillis);
  }

  /**
   * On SIGTERM/SIGINT: closes {@code sources} (what feeds snapshots) first, then drains the gateway
   * for up to the drain timeout, then stops the admin port, the access log and Vert.x.
   */
  void drainOnShutdown(List<AutoCloseable> sources) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("shutting down: draining for up to {} ms", drainMillis);
                  try {
                    for (AutoCloseable source : sources) {
                      source.close();
                    }
                    await(gateway.shutdown(), drainMillis + 5_000);
                    await(admin.close(), 2_000);
                    accessLog.close();
                    await(vertx.close(), 5_000);
                  } catch (Exception e) {
                    LOG.warn("unclean shutdown: {}", e.toString());
                  }
                },
                "portico-shutdown"));
  }

  private static <T> T await(Future<T> f, long millis) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(millis, TimeUnit.MILLISECONDS);
  }
}
