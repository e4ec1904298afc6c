package dev.portico.dataplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.dataplane.proxy.EndpointRegistry;
import dev.portico.dataplane.server.Gateway;
import dev.portico.dataplane.server.GatewayHarness;
import dev.portico.dataplane.standalone.FolderLoader;
import dev.portico.dataplane.standalone.StandaloneMode;
import dev.portico.demo.DemoBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/auth as shipped, served in standalone mode over the demo catalog: the curls it lists.
 */
class AuthExampleTest {
  @TempDir static Path dir;
  static Vertx vertx;
  static DemoBackend catalog;
  static Gateway gateway;
  static StandaloneMode mode;
  static int port;
  static String reader;
  static String writer;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    catalog = await(DemoBackend.start(vertx, "catalog", 0));
    port = GatewayHarness.freePort();
    try (Stream<Path> files = Files.list(Path.of("../examples/auth"))) {
      for (Path f : files.toList()) {
        String yaml =
            Files.readString(f)
                .replace("targetPort: 9001", "targetPort: " + catalog.port())
                .replace("port: 8080", "port: " + port);
        Files.writeString(dir.resolve(f.getFileName()), yaml);
      }
    }
    String intro = Files.readString(Path.of("../examples/auth/00-namespace.yaml"));
    reader = token(intro, "READER");
    writer = token(intro, "WRITER");
    gateway = new Gateway(vertx, "127.0.0.1", 1, 2000, new EndpointRegistry(), null, null);
    mode = new StandaloneMode(new FolderLoader(dir, "auth-demo/secure"), gateway);
    mode.reload(true);
  }

  private static String token(String text, String name) {
    Matcher m = Pattern.compile("#   " + name + "=(\\S+)").matcher(text);
    assertThat(m.find()).as(name).isTrue();
    return m.group(1);
  }

  @AfterAll
  static void stop() throws Exception {
    mode.close();
    await(gateway.shutdown());
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static HttpResponse<String> send(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anonymousReadsPassWritesNeedTheWriteScope() throws Exception {
    assertThat(send("GET", "/catalog/products").statusCode()).isEqualTo(200);
    HttpResponse<String> anonymous = send("POST", "/catalog/products");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("www-authenticate"))
        .hasValue("Bearer realm=\"portico\"");
    assertThat(send("POST", "/catalog/products", "Authorization", "Bearer " + reader).statusCode())
        .isEqualTo(403);
    assertThat(send("POST", "/catalog/products", "Authorization", "Bearer " + writer).statusCode())
        .isNotIn(401, 403);
    assertThat(send("GET", "/catalog/products", "Authorization", "Bearer " + reader).statusCode())
        .isEqualTo(200);
  }

  @Test
  void partnersUseTheirApiKey() throws Exception {
    assertThat(send("GET", "/partners/products").statusCode()).isEqualTo(401);
    HttpResponse<String> r =
        send("GET", "/partners/products", "X-API-Key", "demo-partner-key-0123456789");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("Espresso machine");
  }

  @Test
  void theWebShopsPagesMayCallTheCatalog() throws Exception {
    String origin = "http://localhost:3000";
    HttpResponse<String> preflight =
        send(
            "OPTIONS",
            "/catalog/products",
            "Origin",
            origin,
            "Access-Control-Request-Method",
            "POST",
            "Access-Control-Request-Headers",
            "authorization,content-type");
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue(origin);
    assertThat(preflight.headers().firstValue("access-control-allow-headers"))
        .hasValue("authorization, content-type");
    HttpResponse<String> refused = send("POST", "/catalog/products", "Origin", origin);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("access-control-allow-origin")).hasValue(origin);
    assertThat(refused.headers().firstValue("access-control-expose-headers"))
        .hasValue("www-authenticate, x-request-id");
    HttpResponse<String> other =
        send("GET", "/catalog/products", "Origin", "https://elsewhere.example");
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
  }

  @Test
  void staffToolsNeedBasic() throws Exception {
    String staff =
        "Basic "
            + Base64.getEncoder().encodeToString("staff:demo".getBytes(StandardCharsets.UTF_8));
    assertThat(send("GET", "/tools/status").statusCode()).isEqualTo(401);
    assertThat(send("GET", "/tools/status", "Authorization", staff).body()).contains("tools");
    assertThat(send("GET", "/status").statusCode()).isEqualTo(200);
  }
}
