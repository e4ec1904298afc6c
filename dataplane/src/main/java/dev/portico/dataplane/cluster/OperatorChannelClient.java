package dev.portico.dataplane.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.parsetools.RecordParser;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one stream open from this replica to the operator's snapshot channel and reconnects with
 * backoff when it drops; hands every snapshot line to the applier and sends its answers back. The
 * stream stays on the event loop; lines go to {@code onLine} as bytes, never parsed here.
 */
public final class OperatorChannelClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorChannelClient.class);

  /** A snapshot line may be large, but not unbounded: every buffer has a limit. */
  static final int MAX_FRAME_BYTES = 64 * 1024 * 1024;

  /** Three missed heartbeats: the operator or the path to it is gone. */
  private static final int IDLE_SECONDS = 45;

  private static final long MIN_BACKOFF_MILLIS = 500;
  private static final long MAX_BACKOFF_MILLIS = 30_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx;
  private final ClusterArgs args;
  private final Consumer<byte[]> onLine;
  private final Supplier<String> running;
  private final HttpClientAgent client;
  private int failures;
  private volatile boolean closed;
  private volatile HttpConnection connection;
  private volatile Consumer<String> onFailure = why -> {};

  /**
   * @param onLine receives each snapshot line, on the event loop; must hand it off at once
   * @param running the version this replica serves now, reported on reconnect so it is not resent
   */
  public OperatorChannelClient(
      Vertx vertx, ClusterArgs args, Consumer<byte[]> onLine, Supplier<String> running) {
    this.vertx = vertx;
    this.args = args;
    this.onLine = onLine;
    this.running = running;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setSsl(true)
                .setVerifyHost(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(args.operatorCa().toString()))
                .setIdleTimeout(IDLE_SECONDS)
                .setConnectTimeout(5_000));
  }

  public void start() {
    connect();
  }

  /** Told why, on the event loop, each time a connection attempt or a stream fails. */
  public void onFailure(Consumer<String> listener) {
    onFailure = listener;
  }

  private void connect() {
    if (closed) {
      return;
    }
    String token;
    try {
      token = Files.readString(args.tokenFile()).trim();
    } catch (IOException e) {
      retry("cannot read the token " + args.tokenFile() + ": " + e.getMessage());
      return;
    }
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI(args.snapshots().toString())
            .putHeader("Authorization", "Bearer " + token)
            .putHeader("Portico-Replica", args.replica())
            .putHeader("Portico-Deltas", "1");
    String have = running.get();
    if (have != null) {
      request.putHeader("Portico-Have", have);
    }
    client
        .request(request)
        .compose(req -> req.send())
        .onSuccess(this::stream)
        .onFailure(e -> retry("cannot reach the operator at " + args.operator() + ": " + e));
  }

  private void stream(HttpClientResponse response) {
    if (response.statusCode() != 200) {
      response
          .body()
          .onComplete(
              body ->
                  retry(
                      "the operator answered "
                          + response.statusCode()
                          + (body.succeeded() ? ": " + body.result() : "")));
      return;
    }
    failures = 0;
    HttpConnection mine = response.request().connection();
    connection = mine;
    LOG.info("connected to the operator's snapshot channel at {}", args.operator());
    RecordParser lines =
        RecordParser.newDelimited(
            "\n",
            line -> {
              // After a resync, lines still buffered from the dropped stream build on what the
              // replica refused: only the current stream's lines count.
              if (line.length() > 0 && connection == mine) {
                onLine.accept(line.getBytes());
              }
            });
    lines.maxRecordSize(MAX_FRAME_BYTES);
    // A stream ends either way: cleanly (end) or not (a reset, the idle timeout, an operator that
    // died), and Vert.x reports the second without an end. Either reconnects, once.
    AtomicBoolean over = new AtomicBoolean();
    lines.exceptionHandler(e -> response.request().connection().close());
    response.handler(lines);
    response.exceptionHandler(
        e -> {
          if (over.compareAndSet(false, true)) {
            retry("the snapshot stream broke: " + e);
          }
        });
    response.endHandler(
        v -> {
          if (over.compareAndSet(false, true)) {
            retry("the operator closed the snapshot stream");
          }
        });
  }

  /**
   * Drops the stream so that the next one starts from the served version: a delta arrived that does
   * not fit what this replica has. Any thread.
   */
  public void resync() {
    vertx.runOnContext(
        v -> {
          HttpConnection c = connection;
          connection = null;
          if (c != null) {
            c.close(); // the stream's end or exception reconnects
          }
        });
  }

  private void retry(String why) {
    if (closed) {
      return;
    }
    onFailure.accept(why);
    failures = Math.min(failures + 1, 16);
    long cap = Math.min(MAX_BACKOFF_MILLIS, MIN_BACKOFF_MILLIS << Math.min(failures, 10));
    long delay = MIN_BACKOFF_MILLIS + ThreadLocalRandom.current().nextLong(cap);
    LOG.warn("{}; reconnecting in {} ms (still serving the last snapshot)", why, delay);
    vertx.setTimer(delay, t -> connect());
  }

  /** Tells the operator whether this replica applied a version; best effort (the next wins). */
  public void acknowledge(String version, boolean applied, String reason) {
    String token;
    try {
      token = Files.readString(args.tokenFile()).trim();
    } catch (IOException e) {
      LOG.warn("cannot read the token to acknowledge {}: {}", version, e.getMessage());
      return;
    }
    ObjectNode body = JSON.createObjectNode().put("version", version).put("applied", applied);
    if (reason != null) {
      body.put("reason", reason);
    }
    client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(args.acks().toString())
                .putHeader("Authorization", "Bearer " + token)
                .putHeader("Portico-Replica", args.replica())
                .putHeader("Content-Type", "application/json"))
        .compose(req -> req.send(Buffer.buffer(body.toString())))
        .onComplete(
            r -> {
              if (r.failed() || r.result().statusCode() != 204) {
                LOG.warn(
                    "acknowledging snapshot {} failed: {}",
                    version,
                    r.failed() ? r.cause().toString() : "status " + r.result().statusCode());
              }
            });
  }

  @Override
  public void close() {
    closed = true;
    client.close();
  }
}
