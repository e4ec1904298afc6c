package dev.portico.dataplane.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** A snapshot that moves the listener to another port opens the new one and drains the old. */
class ListenerChangeTest {
  @Test
  void listenersFollowTheSnapshot() throws Exception {
    try (GatewayHarness h = new GatewayHarness()) {
      h.backend("a");
      h.serve(
          """
              - matches: [{path: {type: PathPrefix, value: /}}]
                backends: [{name: a, port: 80}]
          """);
      assertThat(
              RawHttp.send(h.port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                  .status())
          .isEqualTo(200);
      int moved = GatewayHarness.freePort();
      Files.writeString(
          h.dir.resolve("dataplane.yaml"),
          Files.readString(h.dir.resolve("dataplane.yaml"))
              .replace("port: " + h.port, "port: " + moved));
      h.mode.reload(false);
      assertThat(
              RawHttp.send(moved, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                  .status())
          .isEqualTo(200);
      long deadline = System.currentTimeMillis() + 5000;
      while (System.currentTimeMillis() < deadline) {
        try (Socket s = new Socket("127.0.0.1", h.port)) {
          Thread.sleep(50);
        } catch (ConnectException e) {
          break;
        }
      }
      assertThatThrownBy(() -> new Socket("127.0.0.1", h.port).close())
          .isInstanceOf(ConnectException.class);
    }
  }
}
