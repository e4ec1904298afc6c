package dev.portico.dataplane.server;

import dev.portico.dataplane.metrics.ProxyMetrics;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event loop's server socket of one listener port, where connections are accepted; Vert.x
 * spreads a port's connections over the instances. Undeploying it drains: no new connections,
 * in-flight requests get until the drain deadline.
 */
final class ListenerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerVerticle.class);
  private static final String DECODER = "httpDecoder";

  private final int port;
  private final String host;
  private final HttpServerOptions options;
  private final Handler<HttpServerRequest> handler;
  private final long headerTimeoutMillis;
  private final long drainMillis;
  private final ProxyMetrics metrics;

  /** Connections still waiting for their first request head, with their timer. */
  private final Map<HttpConnection, Long> awaitingHead = new HashMap<>();

  private HttpServer server;

  ListenerVerticle(
      int port,
      String host,
      HttpServerOptions options,
      Handler<HttpServerRequest> handler,
      long headerTimeoutMillis,
      long drainMillis,
      ProxyMetrics metrics) {
    this.port = port;
    this.host = host;
    this.options = options;
    this.handler = handler;
    this.headerTimeoutMillis = headerTimeoutMillis;
    this.drainMillis = drainMillis;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    server =
        vertx
            .createHttpServer(options)
            .connectionHandler(this::connected)
            .invalidRequestHandler(new InvalidRequestHandler())
            .exceptionHandler(this::failedBeforeHttp)
            .requestHandler(
                req -> {
                  Long timer = awaitingHead.remove(req.connection());
                  if (timer != null) {
                    vertx.cancelTimer(timer);
                  }
                  handler.handle(req);
                });
    return server.listen(port, host);
  }

  /** New certificates for TLS handshakes from now on; open connections keep theirs. */
  Future<Boolean> updateTls(ServerSSLOptions tls) {
    return server.updateSSLOptions(tls);
  }

  /**
   * Errors before a connection speaks HTTP: on HTTPS listeners, failed handshakes (scanners, old
   * clients, plain HTTP sent to a TLS port). Counted, logged at debug without a stack trace: one
   * per connection would flood the log.
   */
  private void failedBeforeHttp(Throwable error) {
    if (options.isSsl()) {
      if (metrics != null) {
        metrics.tlsHandshakeFailed();
      }
      LOG.debug("TLS handshake on port {} failed: {}", port, error.toString());
    } else {
      LOG.debug("connection on port {} failed before HTTP: {}", port, error.toString());
    }
  }

  /**
   * A connection must send its first request head within the header timeout (slowloris). Later
   * requests on a kept-alive connection are bounded by the idle timeout instead.
   */
  private void connected(HttpConnection connection) {
    if (metrics != null) {
      metrics.connectionOpened();
    }
    inspectFraming(connection);
    if (headerTimeoutMillis > 0) {
      long timer =
          vertx.setTimer(
              headerTimeoutMillis,
              id -> {
                if (awaitingHead.remove(connection) != null) {
                  connection.close();
                }
              });
      awaitingHead.put(connection, timer);
    }
    connection.closeHandler(
        v -> {
          Long timer = awaitingHead.remove(connection);
          if (timer != null) {
            vertx.cancelTimer(timer);
          }
          if (metrics != null) {
            metrics.connectionClosed();
          }
        });
  }

  /**
   * Puts a {@link FramingInspector} in front of the HTTP/1 decoder. This reaches into Vert.x
   * internals (the Netty pipeline behind the connection), because no public option makes the
   * decoder refuse the requests it repairs; if the internals change, the guard still runs.
   *
   * <p>The fallback for a Vert.x not built with {@link InspectingTransport}: with h2c enabled,
   * Vert.x announces an HTTP/1 connection only once its first request head is decoded, so the
   * inspector added here covers the requests after the first one.
   */
  private void inspectFraming(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)) {
      LOG.warn("unexpected connection type {}: framing checks off", connection.getClass());
      return;
    }
    ChannelPipeline pipeline = base.channel().pipeline();
    if (pipeline.get(InspectingTransport.NAME) != null) {
      return; // already there from the first byte (InspectingTransport)
    }
    FramingInspector inspector = new FramingInspector(options.getMaxHeaderSize());
    if (pipeline.get(DECODER) != null) {
      pipeline.addBefore(DECODER, InspectingTransport.NAME, inspector);
    } else {
      // HTTP/2 (prior knowledge) has no HTTP/1 decoder: its frames carry their own lengths.
      LOG.debug("no HTTP/1 decoder in {}", pipeline.names());
    }
  }

  @Override
  public Future<?> stop() {
    return server == null
        ? Future.succeededFuture()
        : server.shutdown(drainMillis, TimeUnit.MILLISECONDS);
  }
}
