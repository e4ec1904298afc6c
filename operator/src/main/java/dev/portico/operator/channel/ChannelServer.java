package dev.portico.operator.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the snapshot channel over HTTPS: a replica opens one long-lived stream per DataPlane and
 * receives the current snapshot at once and every new version as it is compiled, one JSON line
 * each, with a blank line every {@value #HEARTBEAT_MILLIS} ms so dead peers are noticed; it answers
 * each version on a separate POST. Both are authenticated by the replica's bound ServiceAccount
 * token and limited to its own DataPlane.
 *
 * <p>The JDK's HTTPS server with a thread per stream is enough here: streams are few (one per
 * data-plane replica) and long-lived, and it keeps Vert.x out of the operator.
 */
public final class ChannelServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelServer.class);
  static final long HEARTBEAT_MILLIS = 15_000;
  private static final int MAX_ACK_BYTES = 16 * 1024;
  private static final Pattern PATH =
      Pattern.compile(
          "^/v1/dataplanes/([a-z0-9][-a-z0-9]*)/([a-z0-9][-a-z0-9.]*)/(snapshots|acks)$");
  private static final Pattern REPLICA = Pattern.compile("^[a-z0-9][-a-z0-9.]{0,252}$");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpsServer server;
  private final ExecutorService threads;
  private final SnapshotChannel channel;
  private final ReplicaAuthenticator authenticator;
  private volatile boolean closing;

  public ChannelServer(
      int port, SSLContext tls, SnapshotChannel channel, ReplicaAuthenticator authenticator)
      throws IOException {
    this.channel = channel;
    this.authenticator = authenticator;
    this.server = HttpsServer.create(new InetSocketAddress(port), 64);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "portico-channel");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(threads);
    server.createContext("/v1/dataplanes/", this::handle);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      Matcher m = PATH.matcher(ex.getRequestURI().getPath());
      if (!m.matches()) {
        reply(ex, 404, "no such channel path");
        return;
      }
      String namespace = m.group(1);
      String name = m.group(2);
      String dataPlane = namespace + "/" + name;
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      if (auth == null || !auth.startsWith("Bearer ") || auth.length() < 8) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        reply(ex, 401, "a bearer token is required");
        return;
      }
      if (!authenticator.mayRead(auth.substring(7).trim(), namespace, name)) {
        reply(ex, 403, "this token may not read DataPlane " + dataPlane);
        return;
      }
      String replica = ex.getRequestHeaders().getFirst("Portico-Replica");
      if (replica == null || !REPLICA.matcher(replica).matches()) {
        reply(ex, 400, "header Portico-Replica must name the replica (a DNS name)");
        return;
      }
      if (m.group(3).equals("snapshots") && ex.getRequestMethod().equals("GET")) {
        stream(
            ex,
            dataPlane,
            replica,
            ex.getRequestHeaders().getFirst("Portico-Have"),
            "1".equals(ex.getRequestHeaders().getFirst("Portico-Deltas")));
      } else if (m.group(3).equals("acks") && ex.getRequestMethod().equals("POST")) {
        ack(ex, dataPlane, replica);
      } else {
        reply(ex, 405, "GET snapshots, POST acks");
      }
    }
  }

  /**
   * One replica's stream. A replica that sends {@code Portico-Deltas: 1} gets each version as a
   * delta from the one sent before it (or from {@code Portico-Have} after a reconnect) when that is
   * recent enough; it applies frames in order, so the previous frame is always its base.
   */
  private void stream(
      HttpExchange ex, String dataPlane, String replica, String have, boolean deltas)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/x-ndjson");
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.sendResponseHeaders(200, 0); // chunked: one chunk per frame or heartbeat
    channel.connected(dataPlane, replica);
    if (have != null && !have.isBlank()) {
      // The replica already runs this version (a reconnect): it counts as applied and is not
      // sent again when it is still the latest.
      channel.acknowledged(dataPlane, new ReplicaAck(replica, have, true, null));
    }
    LOG.info("replica {} of {} connected (running {})", replica, dataPlane, have);
    String sent = have == null ? "" : have;
    try (OutputStream out = ex.getResponseBody()) {
      while (!closing) {
        var frame = channel.awaitOther(dataPlane, sent, deltas, HEARTBEAT_MILLIS);
        if (frame.isPresent()) {
          out.write(frame.get().bytes());
          sent = frame.get().version();
        } else {
          out.write('\n');
        }
        out.flush();
      }
    } catch (IOException e) {
      LOG.info("replica {} of {} disconnected: {}", replica, dataPlane, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      channel.disconnected(dataPlane, replica);
    }
  }

  private void ack(HttpExchange ex, String dataPlane, String replica) throws IOException {
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readNBytes(MAX_ACK_BYTES + 1);
    }
    if (body.length > MAX_ACK_BYTES) {
      reply(ex, 413, "an ack is at most " + MAX_ACK_BYTES + " bytes");
      return;
    }
    JsonNode ack;
    try {
      ack = JSON.readTree(body);
    } catch (IOException e) {
      reply(ex, 400, "the body must be JSON {version, applied, reason}");
      return;
    }
    if (ack == null || !ack.path("version").isTextual() || !ack.path("applied").isBoolean()) {
      reply(ex, 400, "the body must be JSON {version, applied, reason}");
      return;
    }
    String reason = ack.path("reason").isTextual() ? ack.path("reason").asText() : null;
    if (reason != null && reason.length() > 900) {
      reason = reason.substring(0, 897) + "...";
    }
    channel.acknowledged(
        dataPlane,
        new ReplicaAck(
            replica, ack.get("version").asText(), ack.get("applied").asBoolean(), reason));
    if (!ack.get("applied").asBoolean()) {
      LOG.warn(
          "replica {} of {} refused snapshot {}: {}",
          replica,
          dataPlane,
          ack.get("version").asText(),
          reason);
    }
    ex.sendResponseHeaders(204, -1);
  }

  private static void reply(HttpExchange ex, int status, String detail) throws IOException {
    byte[] body =
        ("{\"status\":" + status + ",\"detail\":" + JSON.writeValueAsString(detail) + "}")
            .getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/problem+json");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    closing = true;
    server.stop(0);
    threads.shutdownNow();
  }
}
