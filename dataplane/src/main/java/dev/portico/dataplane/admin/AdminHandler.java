package dev.portico.dataplane.admin;

import dev.portico.snapshot.Snapshot;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the admin endpoints. Runs on an event loop shared with traffic, so the two costly
 * answers, the Prometheus scrape (grows with routes times histogram buckets) and a snapshot's first
 * serialization, run on a worker thread.
 */
final class AdminHandler implements Handler<HttpServerRequest> {
  static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final String TEXT_CONTENT_TYPE = "text/plain; charset=utf-8";
  private static final String ALLOW = "GET, HEAD";
  private static final Buffer OK = Buffer.buffer("ok");
  private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);

  private final Vertx vertx;
  private final AdminState state;
  private final PrometheusMeterRegistry registry;
  private final SnapshotJson snapshotJson = new SnapshotJson();

  AdminHandler(Vertx vertx, AdminState state, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.state = state;
    this.registry = registry;
  }

  @Override
  public void handle(HttpServerRequest request) {
    String path = request.path();
    boolean known =
        switch (path) {
          case "/healthz", "/readyz", "/metrics", "/snapshot" -> true;
          default -> false;
        };
    if (!known) {
      AdminResponses.problem(
          request,
          404,
          "not-found",
          "Not Found",
          "The admin port serves /healthz, /readyz, /metrics and /snapshot");
      return;
    }
    HttpMethod method = request.method();
    if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
      request.response().putHeader(HttpHeaders.ALLOW, ALLOW);
      AdminResponses.problem(
          request,
          405,
          "method-not-allowed",
          "Method Not Allowed",
          "Admin endpoints are read-only: use GET or HEAD");
      return;
    }
    request.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    switch (path) {
      case "/healthz" -> healthz(request);
      case "/readyz" -> readyz(request);
      case "/metrics" -> metrics(request);
      default -> snapshot(request);
    }
  }

  private void healthz(HttpServerRequest request) {
    if (state.live()) {
      AdminResponses.send(request, 200, TEXT_CONTENT_TYPE, OK.copy());
    } else {
      AdminResponses.problem(
          request, 503, "not-live", "Not Live", "The data plane reports itself unhealthy");
    }
  }

  private void readyz(HttpServerRequest request) {
    if (state.snapshot() == null) {
      AdminResponses.problem(
          request, 503, "not-ready", "Not Ready", "No snapshot has been loaded yet");
    } else if (!state.ready()) {
      AdminResponses.problem(
          request, 503, "not-ready", "Not Ready", "The data plane is starting or draining");
    } else {
      AdminResponses.send(request, 200, TEXT_CONTENT_TYPE, OK.copy());
    }
  }

  private void metrics(HttpServerRequest request) {
    vertx
        .executeBlocking(registry::scrape, false)
        .onSuccess(
            text -> AdminResponses.send(request, 200, METRICS_CONTENT_TYPE, Buffer.buffer(text)))
        .onFailure(e -> internalError(request, "metrics", e));
  }

  private void snapshot(HttpServerRequest request) {
    Snapshot snapshot = state.snapshot();
    if (snapshot == null) {
      AdminResponses.problem(
          request, 404, "no-snapshot", "No Snapshot", "No snapshot has been loaded yet");
      return;
    }
    // Only a snapshot not yet serialized needs the worker; a cached one is a byte-array wrap.
    Buffer cached = snapshotJson.cached(snapshot);
    Future<Buffer> json =
        cached != null
            ? Future.succeededFuture(cached)
            : vertx.executeBlocking(() -> snapshotJson.serialize(snapshot), false);
    json.onSuccess(
            body -> {
              String version = snapshot.version();
              if (version != null && !version.isEmpty()) {
                request.response().putHeader(HttpHeaders.ETAG, '"' + version + '"');
              }
              AdminResponses.send(request, 200, "application/json", body);
            })
        .onFailure(e -> internalError(request, "snapshot", e));
  }

  private static void internalError(HttpServerRequest request, String what, Throwable e) {
    LOG.warn("Admin {} failed", what, e);
    if (!request.response().headWritten()) {
      AdminResponses.problem(
          request, 500, "internal", "Internal Server Error", "Rendering " + what + " failed");
    }
  }
}
