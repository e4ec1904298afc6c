package dev.portico.dataplane.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Slow clients, idle connections and the drain on shutdown. */
class ConnectionLifecycleTest {
  static final String RULES =
      """
          - matches: [{path: {type: PathPrefix, value: /}}]
            backends: [{name: a, port: 80}]
      """;

  @Test
  void slowHeadersAndIdleConnectionsAreClosed() throws Exception {
    try (GatewayHarness h = new GatewayHarness()) {
      h.backend("a");
      h.proxySettings("    requestHeaderTimeout: 500ms\n    idleTimeout: 700ms\n").serve(RULES);
      // Half a request head, then silence: closed by the header timeout.
      try (Socket s = new Socket("127.0.0.1", h.port)) {
        s.setSoTimeout(5000);
        s.getOutputStream()
            .write("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
        long start = System.nanoTime();
        assertThat(s.getInputStream().read()).isEqualTo(-1);
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(300L, 3000L);
      }
      // A served keep-alive connection that stays quiet: closed by the idle timeout.
      try (Socket s = new Socket("127.0.0.1", h.port)) {
        s.setSoTimeout(5000);
        s.getOutputStream()
            .write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        byte[] buf = new byte[65536];
        long start = System.nanoTime();
        int n;
        int total = 0;
        while ((n = in.read(buf)) >= 0) {
          total += n;
        }
        assertThat(total).isPositive();
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(500L, 4000L);
      }
    }
  }

  @Test
  void shutdownFailsReadinessAndDrainsInFlightRequests() throws Exception {
    GatewayHarness h = new GatewayHarness();
    try {
      h.backend("a");
      h.serve(RULES);
      assertThat(h.gateway.ready()).isTrue();
      CompletableFuture<HttpResponse<String>> slow =
          h.http.sendAsync(
              HttpRequest.newBuilder(h.uri("/slow")).header("x-delay-ms", "1000").build(),
              HttpResponse.BodyHandlers.ofString());
      Thread.sleep(300); // the request is in flight
      var drained = h.gateway.shutdown();
      assertThat(h.gateway.ready()).isFalse();
      assertThat(slow.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      drained.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThatThrownBy(() -> new Socket("127.0.0.1", h.port).close())
          .isInstanceOf(java.net.ConnectException.class);
    } finally {
      h.vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
