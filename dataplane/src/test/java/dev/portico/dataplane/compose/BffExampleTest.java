package dev.portico.dataplane.compose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.dataplane.proxy.EndpointRegistry;
import dev.portico.dataplane.server.Gateway;
import dev.portico.dataplane.server.GatewayHarness;
import dev.portico.dataplane.standalone.FolderLoader;
import dev.portico.dataplane.standalone.StandaloneMode;
import dev.portico.demo.DemoBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/bff as shipped, served in standalone mode over the demo backends: the textbook product
 * detail (catalog + inventory + reviews) and order history (orders, then the products they name),
 * tailored differently by the mobile and the web DataPlane.
 */
class BffExampleTest {
  private static final Map<String, Integer> DEMO_PORTS =
      Map.of("catalog", 9001, "reviews", 9002, "inventory", 9003, "orders", 9004);

  @TempDir static Path dir;
  static Vertx vertx;
  static List<DemoBackend> demos;
  static Served mobile;
  static Served web;
  static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  record Served(Gateway gateway, StandaloneMode mode, int port) {}

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    demos =
        DEMO_PORTS.keySet().stream().map(name -> await(DemoBackend.start(vertx, name, 0))).toList();
    // The example as shipped, on free ports: the listeners' and the demo services' ports differ.
    try (Stream<Path> files = Files.list(Path.of("../examples/bff"))) {
      for (Path f : files.toList()) {
        String yaml = Files.readString(f);
        for (DemoBackend d : demos) {
          yaml = yaml.replace("targetPort: " + DEMO_PORTS.get(d.name()), "targetPort: " + d.port());
        }
        Files.writeString(dir.resolve(f.getFileName()), yaml);
      }
    }
    int mobilePort = GatewayHarness.freePort();
    int webPort = GatewayHarness.freePort();
    Path dataPlanes = dir.resolve("dataplanes.yaml");
    Files.writeString(
        dataPlanes,
        Files.readString(dataPlanes)
            .replace("port: 8081", "port: " + mobilePort)
            .replace("port: 8082", "port: " + webPort));
    mobile = serve("bff-demo/mobile", mobilePort);
    web = serve("bff-demo/web", webPort);
  }

  private static Served serve(String dataPlane, int port) throws Exception {
    Gateway gateway = new Gateway(vertx, "127.0.0.1", 1, 2000, new EndpointRegistry(), null, null);
    StandaloneMode mode = new StandaloneMode(new FolderLoader(dir, dataPlane), gateway);
    mode.reload(true);
    return new Served(gateway, mode, port);
  }

  @AfterAll
  static void stop() throws Exception {
    for (Served s : List.of(mobile, web)) {
      s.mode().close();
      await(s.gateway().shutdown());
    }
    await(vertx.close());
  }

  @Test
  void mobileProductDetailIsTrimmed() throws Exception {
    HttpResponse<String> res = get(mobile, "/products/1");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(res.body()))
        .isEqualTo(
            new JsonObject(
                "{\"product\":{\"name\":\"Espresso machine\",\"price\":249.0},"
                    + "\"stock\":{\"inStock\":true},"
                    + "\"ratings\":{\"reviews\":[{\"rating\":5},{\"rating\":4}]}}"));
  }

  @Test
  void webProductDetailIsRich() throws Exception {
    JsonObject body = new JsonObject(get(web, "/products/2").body());
    assertThat(body.getString("id")).isEqualTo("2");
    assertThat(body.getString("name")).isEqualTo("Burr grinder");
    assertThat(body.getJsonObject("availability"))
        .isEqualTo(new JsonObject("{\"inStock\":false,\"warehouse\":\"east-2\",\"units\":0}"));
    assertThat(body.getJsonObject("reviews").getJsonArray("reviews")).hasSize(2);
  }

  @Test
  void anUnknownProductPassesTheCatalogs404Through() throws Exception {
    HttpResponse<String> res = get(mobile, "/products/99");
    assertThat(res.statusCode()).isEqualTo(404);
    assertThat(res.body()).contains("no product 99");
  }

  @Test
  void orderHistoryJoinsOrdersWithTheProductsTheyName() throws Exception {
    JsonObject m = new JsonObject(get(mobile, "/customers/7/orders").body());
    assertThat(m)
        .isEqualTo(
            new JsonObject(
                "{\"orders\":{\"orders\":[{\"id\":\"o-1007\",\"productId\":\"1\"},"
                    + "{\"id\":\"o-2007\",\"productId\":\"3\"}]},"
                    + "\"products\":[{\"id\":\"1\",\"name\":\"Espresso machine\"},"
                    + "{\"id\":\"3\",\"name\":\"Milk jug\"}]}"));
    JsonObject w = new JsonObject(get(web, "/customers/7/orders").body());
    assertThat(w.getString("customerId")).isEqualTo("7");
    assertThat(w.getJsonArray("orders")).hasSize(2);
    JsonArray products = w.getJsonArray("products");
    assertThat(products.getJsonObject(1).getDouble("price")).isEqualTo(14.9);
  }

  private static HttpResponse<String> get(Served s, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
