package dev.portico.dataplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both transports the data plane can run on inspect framing from a connection's first byte: a
 * smuggling attempt as the very first request is refused before Netty's decoder repairs it.
 */
class TransportTest {
  private static final String CL_TE =
      "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 6\r\nTransfer-Encoding: chunked"
          + "\r\n\r\n0\r\n\r\nX";

  static Stream<InspectingTransport> transports() {
    return Stream.of(InspectingTransport.create(), InspectingTransport.nio());
  }

  @Test
  void nativeEpollIsTheDefaultOnLinux() {
    // The shaded jar carries the x86-64 and arm64 libraries; a missing one falls back to NIO.
    String arch = System.getProperty("os.arch");
    boolean packaged = arch.equals("amd64") || arch.equals("aarch64");
    if (System.getProperty("os.name").startsWith("Linux") && packaged) {
      assertThat(InspectingTransport.create().name()).isEqualTo("epoll+framing");
    } else {
      assertThat(InspectingTransport.create().name()).isEqualTo("nio+framing");
    }
    assertThat(InspectingTransport.nio().name()).isEqualTo("nio+framing");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void firstRequestIsInspected(InspectingTransport transport) throws Exception {
    try (GatewayHarness h = new GatewayHarness(transport, null, null)) {
      h.backend("a");
      h.serve(
          """
              - matches: [{path: {type: PathPrefix, value: /}}]
                backends: [{name: a, port: 80}]
          """);
      RawHttp.Response ok = RawHttp.send(h.port, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
      assertThat(ok.status()).isEqualTo(200);
      RawHttp.Response r = RawHttp.send(h.port, CL_TE);
      assertThat(r.status()).as(r.text()).isEqualTo(400);
      assertThat(r.closed()).as("connection closed").isTrue();
    }
  }
}
