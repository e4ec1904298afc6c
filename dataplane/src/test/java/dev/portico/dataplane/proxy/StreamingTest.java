package dev.portico.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.dataplane.server.GatewayHarness;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Large bodies both ways. The sizes are several times what the gateway may buffer (its write queues
 * pause the other side), so a gateway that held whole bodies would show it in the heap.
 */
class StreamingTest {
  static final long SIZE = 256L * 1024 * 1024;
  static GatewayHarness h;

  @BeforeAll
  static void start() throws Exception {
    h = new GatewayHarness();
    h.backend("a");
    h.proxySettings("    maxBodyBytes: 0\n")
        .serve(
            """
                - matches: [{path: {type: PathPrefix, value: /}}]
                  backends: [{name: a, port: 80}]
            """);
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  @Test
  void largeResponseStreamsToTheClient() throws Exception {
    HttpResponse<InputStream> r =
        h.http.send(
            HttpRequest.newBuilder(h.uri("/stream/" + SIZE)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    long total = 0;
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = r.body()) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        total += n;
      }
    }
    assertThat(total).isEqualTo(SIZE);
  }

  @Test
  void largeRequestBodyStreamsToTheBackend() throws Exception {
    AtomicLong sent = new AtomicLong();
    HttpRequest.BodyPublisher body =
        HttpRequest.BodyPublishers.fromPublisher(
            HttpRequest.BodyPublishers.ofInputStream(
                () ->
                    new InputStream() {
                      @Override
                      public int read() {
                        return sent.getAndIncrement() < SIZE ? 'x' : -1;
                      }

                      @Override
                      public int read(byte[] b, int off, int len) {
                        long left = SIZE - sent.get();
                        if (left <= 0) {
                          return -1;
                        }
                        int n = (int) Math.min(len, left);
                        sent.addAndGet(n);
                        return n;
                      }
                    }));
    HttpResponse<String> r =
        h.http.send(
            HttpRequest.newBuilder(h.uri("/upload")).POST(body).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getLong("bodyBytes")).isEqualTo(SIZE);
  }
}
