package dev.portico.e2e.cluster;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A backend for cluster-mode tests: answers every request with a fixed body, listening on the
 * host's own address (an EndpointSlice cannot point at loopback), plus the EndpointSlice YAML that
 * makes a selector-less Service point at such backends.
 */
public final class TestBackend implements AutoCloseable {
  static {
    // The JDK's server writes headers and body separately and leaves Nagle on: each response
    // then waits for the client's delayed ACK (~40 ms), which would swamp what tests measure.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;

  private TestBackend(HttpServer server) {
    this.server = server;
  }

  public static TestBackend answering(String body) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(HostAddress.ipv4(), 0), 64);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    server.createContext(
        "/",
        ex -> {
          ex.sendResponseHeaders(200, bytes.length);
          try (var out = ex.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
    return new TestBackend(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * An EndpointSlice for Service {@code service} (port name {@code http}) listing each backend as a
   * ready endpoint; all on the host's address, so they must differ in port: one slice per port.
   */
  public static String slice(
      String namespace, String service, String name, int port, boolean ready) {
    return String.join(
        "\n",
        List.of(
            "apiVersion: discovery.k8s.io/v1",
            "kind: EndpointSlice",
            "metadata:",
            "  name: " + name,
            "  namespace: " + namespace,
            "  labels: {kubernetes.io/service-name: " + service + "}",
            "addressType: IPv4",
            "ports: [{name: http, port: " + port + ", protocol: TCP}]",
            "endpoints:",
            "  - addresses: [" + HostAddress.ipv4() + "]",
            "    conditions: {ready: " + ready + "}",
            ""));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
