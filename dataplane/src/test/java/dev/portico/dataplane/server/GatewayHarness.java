package dev.portico.dataplane.server;

import dev.portico.dataplane.accesslog.AccessLog;
import dev.portico.dataplane.metrics.ProxyMetrics;
import dev.portico.dataplane.proxy.EndpointRegistry;
import dev.portico.dataplane.standalone.FolderLoader;
import dev.portico.dataplane.standalone.StandaloneMode;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real gateway on a loopback port, configured the way standalone mode is: YAML manifests in a
 * temporary folder, read, compiled and served. Services get no EndpointSlice, so each one is served
 * at {@code 127.0.0.1:<targetPort>}, the port of a {@link TestBackend}.
 */
public final class GatewayHarness implements AutoCloseable {
  public final Vertx vertx;
  public final Path dir;
  public final int port;
  public final Gateway gateway;
  public final StandaloneMode mode;
  public final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final Map<String, Integer> services = new LinkedHashMap<>();
  private String proxy = "";
  private String listeners = "";
  private String spec = "";

  public GatewayHarness() throws IOException {
    this(null, null);
  }

  /** A gateway that records into {@code metrics} and {@code accessLog} (either may be null). */
  public GatewayHarness(ProxyMetrics metrics, AccessLog accessLog) throws IOException {
    this(InspectingTransport.create(), metrics, accessLog);
  }

  /**
   * A gateway on {@code transport} (the production default is {@link
   * InspectingTransport#create()}).
   */
  public GatewayHarness(InspectingTransport transport, ProxyMetrics metrics, AccessLog accessLog)
      throws IOException {
    this.vertx = Vertx.builder().withTransport(transport).build();
    this.dir = Files.createTempDirectory("portico-test");
    this.port = freePort();
    this.gateway =
        new Gateway(vertx, "127.0.0.1", 2, 2000, new EndpointRegistry(), metrics, accessLog);
    this.mode = new StandaloneMode(new FolderLoader(dir, null), gateway);
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public TestBackend backend(String name) throws Exception {
    TestBackend b = TestBackend.start(vertx, name);
    services.put(name, b.port());
    return b;
  }

  /** A Service served by whatever listens on {@code port} of 127.0.0.1. */
  public void service(String name, int port) {
    services.put(name, port);
  }

  /** A Service whose port no one listens on. */
  public void deadService(String name) throws IOException {
    services.put(name, freePort());
  }

  /** Extra {@code spec.proxy} lines of the DataPlane, indented by four spaces. */
  public GatewayHarness proxySettings(String yaml) {
    this.proxy = yaml;
    return this;
  }

  /** Extra listeners of the DataPlane (list items, indented by four spaces). */
  public GatewayHarness listeners(String yaml) {
    this.listeners = yaml;
    return this;
  }

  /** Extra top-level {@code spec} lines of the DataPlane, indented by two spaces. */
  public GatewayHarness dataPlaneSpec(String yaml) {
    this.spec = yaml;
    return this;
  }

  /** Writes another manifest file into the folder (Secrets, say); served on the next reload. */
  public void file(String name, String yaml) throws IOException {
    Files.writeString(dir.resolve(name), yaml);
  }

  /** Writes the manifests with {@code rules} (the route's rules, indented by four) and serves. */
  public GatewayHarness serve(String rules) throws Exception {
    writeManifests(rules);
    mode.reload(true);
    return this;
  }

  public void writeManifests(String rules) throws IOException {
    StringBuilder svc = new StringBuilder();
    services.forEach(
        (name, p) ->
            svc.append(
                """
                apiVersion: v1
                kind: Service
                metadata: {name: %s, namespace: default}
                spec:
                  ports:
                    - {name: http, port: 80, targetPort: %d}
                ---
                """
                    .formatted(name, p)));
    Files.writeString(dir.resolve("services.yaml"), svc.toString());
    Files.writeString(
        dir.resolve("dataplane.yaml"),
        """
        apiVersion: portico.dev/v1alpha1
        kind: DataPlane
        metadata: {name: test, namespace: default}
        spec:
          listeners:
            - {name: http, port: %d}
        %s  allowedRoutes: {from: Same}
        %s%s"""
            .formatted(port, listeners, spec, proxy.isEmpty() ? "" : "  proxy:\n" + proxy));
    Files.writeString(
        dir.resolve("routes.yaml"),
        """
        apiVersion: portico.dev/v1alpha1
        kind: GatewayRoute
        metadata: {name: r, namespace: default}
        spec:
          parentRefs: [{name: test}]
          rules:
        %s"""
            .formatted(rules));
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  public HttpResponse<String> get(String path, String... headers) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)), headers);
  }

  /** A request without a body; {@code headers} are name, value, name, value, ... */
  public HttpResponse<String> send(String method, String path, String... headers) throws Exception {
    return send(
        HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody()),
        headers);
  }

  private HttpResponse<String> send(HttpRequest.Builder b, String... headers) throws Exception {
    b.timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    mode.close();
    gateway.shutdown().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
