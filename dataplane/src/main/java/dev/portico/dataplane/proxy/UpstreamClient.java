package dev.portico.dataplane.proxy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's one HTTP client toward backends: keep-alive connection pools per endpoint address
 * (Vert.x pools by server address), HTTP/1.1, no decompression so bodies pass through byte for
 * byte. Shared by every snapshot, so pools survive swaps.
 */
public final class UpstreamClient {
  /** Connections per endpoint; above it requests queue, up to {@link #MAX_WAITING}. */
  static final int MAX_CONNECTIONS_PER_ENDPOINT = 256;

  /** Requests waiting for a pooled connection per endpoint before new ones fail fast. */
  static final int MAX_WAITING = 1024;

  private final HttpClient client;

  public UpstreamClient(Vertx vertx) {
    HttpClientOptions options =
        new HttpClientOptions()
            .setProtocolVersion(HttpVersion.HTTP_1_1)
            .setKeepAlive(true)
            .setKeepAliveTimeout(30)
            .setPipelining(false)
            .setDecompressionSupported(false)
            .setMaxHeaderSize(64 * 1024)
            .setMaxInitialLineLength(16 * 1024)
            .setTcpNoDelay(true)
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    PoolOptions pool =
        new PoolOptions()
            .setHttp1MaxSize(MAX_CONNECTIONS_PER_ENDPOINT)
            .setMaxWaitQueueSize(MAX_WAITING);
    this.client = vertx.createHttpClient(options, pool);
  }

  public HttpClient client() {
    return client;
  }

  public Future<Void> close() {
    return client.close();
  }
}
