package dev.portico.dataplane.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The admin HTTP server, on its own port beside the traffic listeners: {@code /healthz}, {@code
 * /readyz}, {@code /metrics} (Prometheus text format) and {@code /snapshot} (read-only JSON).
 */
public final class AdminServer {
  private final HttpServer server;

  private AdminServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Binds the admin server.
   *
   * @param port the port, or 0 for an ephemeral one (see {@link #port()})
   */
  public static Future<AdminServer> start(
      Vertx vertx, String host, int port, AdminState state, PrometheusMeterRegistry registry) {
    HttpServerOptions options =
        new HttpServerOptions()
            // Probes and scrapes are small; tight limits keep this port cheap to poke at.
            .setMaxInitialLineLength(1024)
            .setMaxHeaderSize(8192)
            .setIdleTimeout(60);
    return vertx
        .createHttpServer(options)
        .requestHandler(new AdminHandler(vertx, state, registry))
        .listen(port, host)
        .map(AdminServer::new);
  }

  /** The bound port. */
  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }
}
