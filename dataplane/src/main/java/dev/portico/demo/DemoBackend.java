package dev.portico.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A demo backend service behind the gateway, started by {@code make run} and by tests. Endpoints:
 *
 * <ul>
 *   <li>{@code GET /catalog/products}, {@code GET /catalog/products/{id}}: three products
 *   <li>{@code GET /v1/reviews/{id}}: a product's reviews
 *   <li>{@code /slow?ms=N}: the echo after N ms; {@code /status/{code}}: that status
 *   <li>{@code POST}, {@code PUT}: the body streamed back with its Content-Type
 *   <li>anything else: a JSON echo of service, method, path, query and headers
 * </ul>
 *
 * Every response carries {@code X-Demo-Service: <name>}.
 */
public final class DemoBackend {
  private static final Logger LOG = LoggerFactory.getLogger(DemoBackend.class);

  private final String name;
  private final HttpServer server;

  private DemoBackend(String name, HttpServer server) {
    this.name = name;
    this.server = server;
  }

  /** Starts service {@code name} on loopback; port 0 picks a free one (see {@link #port()}). */
  public static Future<DemoBackend> start(Vertx vertx, String name, int port) {
    return start(vertx, name, "127.0.0.1", port);
  }

  public static Future<DemoBackend> start(Vertx vertx, String name, String host, int port) {
    // Clients such as curl send Expect: 100-continue for large bodies; answer it at once.
    HttpServerOptions options = new HttpServerOptions().setHandle100ContinueAutomatically(true);
    return vertx
        .createHttpServer(options)
        .requestHandler(new DemoHandler(vertx, name))
        .listen(port, host)
        .map(server -> new DemoBackend(name, server));
  }

  public String name() {
    return name;
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }

  /** Runs one or more services until the process is stopped; see {@link DemoArgs}. */
  public static void main(String[] args) throws Exception {
    DemoArgs options;
    try {
      options = DemoArgs.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(DemoArgs.USAGE);
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> vertx.close().toCompletionStage().toCompletableFuture().join()));
    for (DemoArgs.Service service : options.services()) {
      try {
        DemoBackend backend =
            start(vertx, service.name(), options.host(), service.port())
                .toCompletionStage()
                .toCompletableFuture()
                .get();
        LOG.info(
            "Demo service {} listening on {}:{}", service.name(), options.host(), backend.port());
      } catch (ExecutionException e) {
        // Vert.x threads would keep a half-started process alive: fail loudly instead.
        LOG.error("Demo service {} failed to start", service.name(), e.getCause());
        System.exit(1);
      }
    }
  }
}
