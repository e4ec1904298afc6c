package dev.portico.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DemoBackendTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private Vertx vertx;
  private DemoBackend backend;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    backend = await(DemoBackend.start(vertx, "catalog", 0));
  }

  @AfterEach
  void stop() throws Exception {
    await(backend.close());
    await(vertx.close());
  }

  @Test
  void listsAndFindsProducts() throws Exception {
    HttpResponse<String> list = get("/catalog/products");
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.headers().firstValue("x-demo-service")).hasValue("catalog");
    assertThat(list.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode products = JSON.readTree(list.body());
    assertThat(products).hasSize(3);
    assertThat(products.get(0).get("id").asText()).isEqualTo("1");

    JsonNode two = JSON.readTree(get("/catalog/products/2").body());
    assertThat(two.get("id").asText()).isEqualTo("2");
    assertThat(two.get("name").asText()).isNotBlank();

    for (HttpClient.Version version : HttpClient.Version.values()) {
      HttpRequest head =
          HttpRequest.newBuilder(uri("/catalog/products"))
              .version(version)
              .method("HEAD", HttpRequest.BodyPublishers.noBody())
              .build();
      HttpResponse<String> headers = client.send(head, HttpResponse.BodyHandlers.ofString());
      assertThat(headers.statusCode()).isEqualTo(200);
      assertThat(headers.body()).as("%s", version).isEmpty();
      assertThat(headers.headers().firstValue("content-length"))
          .hasValue(Integer.toString(list.body().length()));
    }

    HttpResponse<String> missing = get("/catalog/products/99");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("x-demo-service")).hasValue("catalog");
  }

  @Test
  void servesReviews() throws Exception {
    HttpResponse<String> response = get("/v1/reviews/3");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode reviews = JSON.readTree(response.body());
    assertThat(reviews.get("productId").asText()).isEqualTo("3");
    assertThat(reviews.get("reviews")).isNotEmpty();
    assertThat(get("/v1/reviews/x").statusCode()).isEqualTo(404);
  }

  @Test
  void servesStockOrdersAndProductsByIdsForTheCompositionExamples() throws Exception {
    JsonNode stock = JSON.readTree(get("/v1/inventory/2").body());
    assertThat(stock.get("inStock").asBoolean()).isFalse();
    assertThat(stock.get("warehouse").asText()).isEqualTo("east-2");
    assertThat(get("/v1/inventory/9").statusCode()).isEqualTo(404);
    JsonNode orders = JSON.readTree(get("/v1/customers/7/orders").body());
    assertThat(orders.get("orders")).hasSize(2);
    assertThat(orders.get("orders").get(0).get("productId").asText()).isEqualTo("1");
    assertThat(get("/v1/customers/x/orders").statusCode()).isEqualTo(404);
    JsonNode some = JSON.readTree(get("/catalog/products?ids=3,9,1").body());
    assertThat(some).hasSize(2);
    assertThat(some.get(0).get("id").asText()).isEqualTo("3");
    assertThat(some.get(1).get("id").asText()).isEqualTo("1");
  }

  @Test
  void echoesOtherRequests() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(uri("/anything/here?b=2&a=1"))
            .header("X-Tenant", "acme")
            .header("X-Multi", "one")
            .header("X-Multi", "two")
            .method("DELETE", HttpRequest.BodyPublishers.noBody())
            .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode echo = JSON.readTree(response.body());
    assertThat(echo.get("service").asText()).isEqualTo("catalog");
    assertThat(echo.get("method").asText()).isEqualTo("DELETE");
    assertThat(echo.get("path").asText()).isEqualTo("/anything/here");
    assertThat(echo.get("query").asText()).isEqualTo("b=2&a=1");
    assertThat(echo.get("headers").get("x-tenant").asText()).isEqualTo("acme");
    assertThat(echo.get("headers").get("x-multi").asText()).isEqualTo("one, two");
    assertThat(echo.get("headers").get("host").asText()).isEqualTo("127.0.0.1:" + backend.port());

    JsonNode noQuery = JSON.readTree(get("/v2/other").body());
    assertThat(noQuery.get("query").isNull()).isTrue();
  }

  @Test
  void answersTheRequestedStatus() throws Exception {
    HttpResponse<String> unavailable = get("/status/503");
    assertThat(unavailable.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(unavailable.body()).get("status").asInt()).isEqualTo(503);
    assertThat(unavailable.headers().firstValue("x-demo-service")).hasValue("catalog");
    assertThat(get("/status/204").statusCode()).isEqualTo(204);
    assertThat(get("/status/abc").statusCode()).isEqualTo(400);
    assertThat(get("/status/99").statusCode()).isEqualTo(400);
  }

  @Test
  void slowWaitsWithoutBlockingOtherRequests() throws Exception {
    long start = System.nanoTime();
    CompletableFuture<HttpResponse<String>> slow =
        client.sendAsync(
            HttpRequest.newBuilder(uri("/slow?ms=600")).build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> fast = get("/catalog/products");
    long fastMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    HttpResponse<String> slowResponse = slow.get(5, TimeUnit.SECONDS);
    long slowMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(fast.statusCode()).isEqualTo(200);
    assertThat(slowResponse.statusCode()).isEqualTo(200);
    assertThat(slowMillis).isGreaterThanOrEqualTo(600);
    assertThat(fastMillis).isLessThan(slowMillis);
    assertThat(JSON.readTree(slowResponse.body()).get("path").asText()).isEqualTo("/slow");
    assertThat(get("/slow?ms=soon").statusCode()).isEqualTo(400);
    assertThat(get("/slow?ms=600000").statusCode()).isEqualTo(400);
  }

  @Test
  void postAndPutStreamTheBodyBackWithItsContentType() throws Exception {
    HttpRequest small =
        HttpRequest.newBuilder(uri("/catalog/products"))
            .header("Content-Type", "application/vnd.demo+json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Tamper\"}"))
            .build();
    HttpResponse<String> echoed = client.send(small, HttpResponse.BodyHandlers.ofString());
    assertThat(echoed.statusCode()).isEqualTo(200);
    assertThat(echoed.body()).isEqualTo("{\"name\":\"Tamper\"}");
    assertThat(echoed.headers().firstValue("content-type")).hasValue("application/vnd.demo+json");
    assertThat(echoed.headers().firstValue("x-demo-service")).hasValue("catalog");

    // 8 MiB of unknown length: chunked both ways, far beyond any single buffer.
    byte[] big = new byte[8 * 1024 * 1024];
    new Random(42).nextBytes(big);
    HttpRequest large =
        HttpRequest.newBuilder(uri("/upload"))
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
            .build();
    HttpResponse<byte[]> bytes = client.send(large, HttpResponse.BodyHandlers.ofByteArray());
    assertThat(bytes.statusCode()).isEqualTo(200);
    assertThat(bytes.headers().firstValue("content-type")).hasValue("application/octet-stream");
    assertThat(bytes.body()).isEqualTo(big);
  }

  @Test
  void parsesTheCommandLine() {
    DemoArgs both =
        DemoArgs.parse("--serve", "catalog:9001", "--name", "reviews", "--port", "9002");
    assertThat(both.host()).isEqualTo("127.0.0.1");
    assertThat(both.services())
        .containsExactly(
            new DemoArgs.Service("catalog", 9001), new DemoArgs.Service("reviews", 9002));
    assertThat(DemoArgs.parse("--host", "0.0.0.0", "--serve", "a:1").host()).isEqualTo("0.0.0.0");

    for (List<String> bad :
        List.of(
            List.<String>of(),
            List.of("--serve", "catalog"),
            List.of("--serve", "catalog:http"),
            List.of("--name", "catalog"),
            List.of("--port", "9001"),
            List.of("--serve"),
            List.of("--serve", "a:70000"),
            List.of("--verbose", "yes"))) {
      assertThatThrownBy(() -> DemoArgs.parse(bad.toArray(String[]::new)))
          .as("%s", bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return client.send(
        HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + backend.port() + pathAndQuery);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
