package dev.portico.dataplane.compose;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * A loopback backend for composition tests: answers fixed JSON per exact path, optionally late,
 * with another status, or gzip-encoded, and records every request it receives (method, URI,
 * headers, body).
 */
final class JsonBackend implements AutoCloseable {
  /** What one path answers. */
  record Reply(int status, long delayMillis, String body, boolean gzip) {
    static Reply json(String body) {
      return new Reply(200, 0, body, false);
    }

    Reply after(long millis) {
      return new Reply(status, millis, body, gzip);
    }

    Reply status(int code) {
      return new Reply(code, delayMillis, body, gzip);
    }

    Reply gzipped() {
      return new Reply(status, delayMillis, body, true);
    }
  }

  /** A request as the backend saw it. */
  record Seen(String method, String uri, MultiMap headers, String body) {}

  final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final Map<String, Reply> replies = new ConcurrentHashMap<>();
  private final Vertx vertx;
  private final HttpServer server;

  private JsonBackend(Vertx vertx) {
    this.vertx = vertx;
    this.server = vertx.createHttpServer().requestHandler(this::handle);
  }

  static JsonBackend start(Vertx vertx) throws Exception {
    JsonBackend b = new JsonBackend(vertx);
    b.server
        .listen(0, "127.0.0.1")
        .toCompletionStage()
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
    return b;
  }

  JsonBackend on(String path, Reply reply) {
    replies.put(path, reply);
    return this;
  }

  JsonBackend on(String path, String json) {
    return on(path, Reply.json(json));
  }

  int port() {
    return server.actualPort();
  }

  /** The requests whose path starts with {@code prefix}. */
  List<Seen> seen(String prefix) {
    return seen.stream().filter(s -> s.uri().startsWith(prefix)).toList();
  }

  private void handle(HttpServerRequest req) {
    req.body()
        .onSuccess(
            body -> {
              seen.add(
                  new Seen(
                      req.method().name(),
                      req.uri(),
                      MultiMap.caseInsensitiveMultiMap().addAll(req.headers()),
                      body.toString()));
              Reply reply = replies.get(req.path());
              if (reply == null) {
                req.response().setStatusCode(404).end("{\"error\":\"no such path\"}");
                return;
              }
              if (reply.delayMillis() > 0) {
                vertx.setTimer(reply.delayMillis(), t -> answer(req, reply));
              } else {
                answer(req, reply);
              }
            });
  }

  private static void answer(HttpServerRequest req, Reply reply) {
    if (req.response().closed()) {
      return;
    }
    Buffer body = Buffer.buffer(reply.body());
    req.response().setStatusCode(reply.status()).putHeader("content-type", "application/json");
    if (reply.gzip()) {
      req.response().putHeader("content-encoding", "gzip");
      body = Buffer.buffer(gzip(body.getBytes()));
    }
    req.response().end(body);
  }

  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
