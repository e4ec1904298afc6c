package dev.portico.dataplane.server;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP backend on a loopback port for the data plane's tests. It answers with what it
 * received, as JSON ({@code name, method, uri, headers, bodyBytes}); request headers steer it:
 * {@code x-delay-ms} delays the answer, {@code x-status} sets the status, each {@code
 * x-respond-with: Name: value} adds that field to the response, and {@code GET /stream/<bytes>}
 * streams a body of that size with back-pressure. Bodies are counted, never kept. WebSocket
 * upgrades are echoed.
 */
public final class TestBackend implements AutoCloseable {
  public final String name;
  public final AtomicInteger requests = new AtomicInteger();
  private final HttpServer server;

  private TestBackend(String name, HttpServer server) {
    this.name = name;
    this.server = server;
  }

  public static TestBackend start(Vertx vertx, String name) throws Exception {
    TestBackend[] self = new TestBackend[1];
    HttpServer server =
        vertx
            .createHttpServer()
            .webSocketHandler(ws -> ws.textMessageHandler(ws::writeTextMessage))
            .requestHandler(req -> self[0].handle(vertx, req));
    self[0] = new TestBackend(name, server);
    server
        .listen(0, "127.0.0.1")
        .toCompletionStage()
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
    return self[0];
  }

  public int port() {
    return server.actualPort();
  }

  private void handle(Vertx vertx, HttpServerRequest req) {
    requests.incrementAndGet();
    long[] bytes = {0};
    req.handler(b -> bytes[0] += b.length());
    req.endHandler(
        v -> {
          long delay = parse(req.getHeader("x-delay-ms"), 0);
          if (delay > 0) {
            vertx.setTimer(delay, t -> answer(vertx, req, bytes[0]));
          } else {
            answer(vertx, req, bytes[0]);
          }
        });
  }

  private void answer(Vertx vertx, HttpServerRequest req, long bodyBytes) {
    HttpServerResponse res = req.response();
    if (res.closed()) {
      return;
    }
    res.putHeader("x-backend", name);
    for (String field : req.headers().getAll("x-respond-with")) {
      int colon = field.indexOf(':');
      res.headers().add(field.substring(0, colon).trim(), field.substring(colon + 1).trim());
    }
    res.setStatusCode((int) parse(req.getHeader("x-status"), 200));
    if (req.path().startsWith("/stream/")) {
      stream(vertx, res, Long.parseLong(req.path().substring("/stream/".length())));
      return;
    }
    JsonObject headers = new JsonObject();
    MultiMap h = req.headers();
    h.names().forEach(n -> headers.put(n.toLowerCase(), String.join(" | ", h.getAll(n))));
    res.putHeader("content-type", "application/json");
    res.end(
        new JsonObject()
            .put("name", name)
            .put("method", req.method().name())
            .put("uri", req.uri())
            .put("headers", headers)
            .put("bodyBytes", bodyBytes)
            .encode());
  }

  /** Writes {@code total} bytes in 16 KiB chunks, waiting for drain whenever the queue is full. */
  private static void stream(Vertx vertx, HttpServerResponse res, long total) {
    res.setChunked(true);
    Buffer chunk = Buffer.buffer(new byte[16 * 1024]);
    long[] left = {total};
    Runnable[] pump = new Runnable[1];
    pump[0] =
        () -> {
          while (left[0] > 0 && !res.writeQueueFull()) {
            int n = (int) Math.min(chunk.length(), left[0]);
            res.write(n == chunk.length() ? chunk : chunk.slice(0, n));
            left[0] -= n;
          }
          if (left[0] == 0) {
            res.end();
          } else {
            res.drainHandler(v -> pump[0].run());
          }
        };
    pump[0].run();
  }

  private static long parse(String value, long fallback) {
    return value == null ? fallback : Long.parseLong(value);
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
