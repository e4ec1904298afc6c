package dev.portico.dataplane.server;

import dev.portico.dataplane.accesslog.AccessLog;
import dev.portico.dataplane.accesslog.AccessLogEntry;
import dev.portico.dataplane.auth.Identity;
import dev.portico.dataplane.auth.SecurityPlan;
import dev.portico.dataplane.cors.CorsResponse;
import dev.portico.dataplane.metrics.ProxyMetrics;
import dev.portico.dataplane.proxy.ProxyListener;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.time.Instant;

/**
 * What one request did, collected along the request path and written to the access log and metrics
 * once, when its response ends or its connection closes.
 */
final class RequestRecord implements ProxyListener {
  private final HttpServerRequest req;
  private final ProxyMetrics metrics;
  private final AccessLog accessLog;
  private final long startNanos = System.nanoTime();
  final String requestId;
  String clientAddress;
  String route;

  /** Set by the security stage: who passed it, and what the upstream request must not carry. */
  Identity identity;

  SecurityPlan security;

  /** The CORS fields of a CORS rule's answers, or null when the rule has no CORS filter. */
  CorsResponse cors;

  /** The normalized path once known; until then (refused requests) the raw target is logged. */
  String path;

  private String upstream;
  private long upstreamNanos = -1;
  private boolean written;

  RequestRecord(
      HttpServerRequest req, String requestId, ProxyMetrics metrics, AccessLog accessLog) {
    this.req = req;
    this.requestId = requestId;
    this.metrics = metrics;
    this.accessLog = accessLog;
  }

  @Override
  public void attempt(String backend, String endpoint) {
    upstream = endpoint;
  }

  @Override
  public void retry() {
    if (metrics != null) {
      metrics.retry(route);
    }
  }

  @Override
  public void connectFailed(String backend) {
    if (metrics != null) {
      metrics.upstreamConnectError(backend);
    }
  }

  @Override
  public void ejected(String backend) {
    if (metrics != null) {
      metrics.ejection(backend);
    }
  }

  @Override
  public void composedPart(String part, String outcome, long nanos) {
    if (metrics != null) {
      metrics.composedPart(route, part, outcome, nanos);
    }
  }

  /** Counts a CORS preflight the gateway answered. */
  void corsPreflight(boolean allowed) {
    if (metrics != null) {
      metrics.corsPreflight(allowed);
    }
  }

  @Override
  public void upstreamResponded(long nanos) {
    upstreamNanos = nanos;
  }

  /** Writes the record once; {@code status} 0 when the client left before a response. */
  void done() {
    if (written) {
      return;
    }
    written = true;
    long nanos = System.nanoTime() - startNanos;
    int status = req.response().ended() ? req.response().getStatusCode() : 0;
    if (metrics != null) {
      metrics.request(route, req.method().name(), status, nanos);
    }
    if (accessLog != null) {
      accessLog.log(
          new AccessLogEntry(
              Instant.now(),
              requestId,
              clientAddress,
              req.method().name(),
              req.authority() == null ? null : req.authority().toString(),
              path != null ? path : req.uri(),
              protocol(req.version()),
              status,
              route,
              upstream,
              nanos / 1_000_000,
              upstreamNanos < 0 ? -1 : upstreamNanos / 1_000_000,
              req.response().bytesWritten(),
              req.getHeader("user-agent")));
    }
  }

  private static String protocol(HttpVersion version) {
    return switch (version) {
      case HTTP_1_0 -> "HTTP/1.0";
      case HTTP_1_1 -> "HTTP/1.1";
      case HTTP_2 -> "HTTP/2";
    };
  }
}
