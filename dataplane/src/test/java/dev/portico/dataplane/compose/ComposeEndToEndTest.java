package dev.portico.dataplane.compose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.dataplane.compose.JsonBackend.Reply;
import dev.portico.dataplane.metrics.ProxyMetrics;
import dev.portico.dataplane.server.GatewayHarness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The compose action through a real gateway and real loopback backends. */
class ComposeEndToEndTest {
  static final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  static GatewayHarness h;
  static JsonBackend b;

  @BeforeAll
  static void start() throws Exception {
    h = new GatewayHarness(new ProxyMetrics(registry), null);
    b = JsonBackend.start(h.vertx);
    for (String name : new String[] {"catalog", "inventory", "reviews"}) {
      h.service(name, b.port());
    }
    h.deadService("dead");
    h.serve(
        """
            - matches: [{path: {type: RegularExpression, value: "/parallel/(?P<id>[0-9]+)"}}]
              compose:
                parts:
                  - {name: product, backend: {name: catalog, port: 80}, path: "/slow/a/{id}"}
                  - {name: stock, backend: {name: inventory, port: 80}, path: "/slow/b/{id}"}
                  - {name: reviews, backend: {name: reviews, port: 80}, path: "/slow/c/{id}"}
            - matches: [{path: {type: Exact, value: /deadline}}]
              compose:
                deadline: 300ms
                parts:
                  - {name: product, backend: {name: catalog, port: 80}, path: /fast/product}
                  - {name: reviews, backend: {name: reviews, port: 80}, path: /slow/2s, required: false}
            - matches: [{path: {type: Exact, value: /fallback}}]
              compose:
                parts:
                  - {name: product, backend: {name: catalog, port: 80}, path: /fast/product}
                  - name: reviews
                    backend: {name: reviews, port: 80}
                    path: /status/500
                    fallback: {reviews: [], note: unavailable}
            - matches: [{path: {type: Exact, value: /required-500}}]
              compose:
                parts:
                  - {name: product, backend: {name: catalog, port: 80}, path: /fast/product}
                  - {name: stock, backend: {name: inventory, port: 80}, path: /status/500}
            - matches: [{path: {type: Exact, value: /first-failure}}]
              compose:
                parts:
                  - {name: slow, backend: {name: catalog, port: 80}, path: /status/500-late}
                  - {name: fast, backend: {name: inventory, port: 80}, path: /status/500}
            - matches: [{path: {type: Exact, value: /required-timeout}}]
              compose:
                parts:
                  - {name: product, backend: {name: catalog, port: 80}, path: /fast/product}
                  - {name: stock, backend: {name: inventory, port: 80}, path: /slow/2s, timeout: 200ms}
            - matches: [{path: {type: Exact, value: /pass-404}}]
              compose:
                passThroughStatus: true
                parts:
                  - {name: product, backend: {name: catalog, port: 80}, path: /status/404}
            - matches: [{path: {type: Exact, value: /dead}}]
              compose:
                parts:
                  - {name: product, backend: {name: dead, port: 80}, path: /x}
            - matches: [{path: {type: Exact, value: /optional-dead}}]
              compose:
                parts:
                  - {name: product, backend: {name: catalog, port: 80}, path: /fast/product}
                  - {name: extra, backend: {name: dead, port: 80}, path: /x, required: false}
            - matches: [{path: {type: Exact, value: /chain}}]
              compose:
                parts:
                  - name: product
                    backend: {name: catalog, port: 80}
                    path: "/products/{parts.order/items/1/productId}?lang={query.lang}"
                    dependsOn: [order]
                  - {name: order, backend: {name: catalog, port: 80}, path: /orders/42}
            - matches: [{path: {type: Exact, value: /arrays-merge}}]
              compose:
                arrays: Merge
                parts:
                  - {name: a, backend: {name: catalog, port: 80}, path: /tags/a, placement: Root}
                  - {name: b, backend: {name: catalog, port: 80}, path: /tags/b, placement: Root}
            - matches: [{path: {type: Exact, value: /arrays-replace}}]
              compose:
                parts:
                  - {name: a, backend: {name: catalog, port: 80}, path: /tags/a, placement: Root}
                  - {name: b, backend: {name: catalog, port: 80}, path: /tags/b, placement: Root}
            - matches: [{path: {type: Exact, value: /shape}}]
              compose:
                parts:
                  - name: product
                    backend: {name: catalog, port: 80}
                    path: /rich
                    select: [/name, /price, "/reviews/*/rating", /internal]
                    omit: [/internal/secret]
                    rename: [{from: /price, to: /pricing/amount}]
                  - {name: stock, backend: {name: inventory, port: 80}, path: /rich, key: inv, select: [/name]}
            - matches: [{path: {type: Exact, value: /gzip}}]
              compose:
                parts:
                  - {name: product, backend: {name: catalog, port: 80}, path: /gzipped}
            - matches: [{path: {type: Exact, value: /bomb}}]
              compose:
                maxPartBytes: 65536
                parts:
                  - {name: product, backend: {name: catalog, port: 80}, path: /bomb}
            - matches: [{path: {type: Exact, value: /big-part}}]
              compose:
                maxPartBytes: 1024
                parts:
                  - {name: product, backend: {name: catalog, port: 80}, path: /big}
            - matches: [{path: {type: Exact, value: /big-response}}]
              compose:
                maxResponseBytes: 3000
                parts:
                  - {name: a, backend: {name: catalog, port: 80}, path: /big}
                  - {name: b, backend: {name: catalog, port: 80}, path: /big}
            - matches: [{path: {type: Exact, value: /upload}, method: POST}]
              compose:
                maxRequestBytes: 100
                parts:
                  - {name: order, backend: {name: catalog, port: 80}, path: /echo-body, method: POST, bodyPassThrough: true}
                  - {name: other, backend: {name: inventory, port: 80}, path: /fast/product}
            - matches: [{path: {type: Exact, value: /headers}}]
              compose:
                forwardHeaders: [Accept-Language]
                parts:
                  - {name: product, backend: {name: catalog, port: 80}, path: "/fast/product?t={header.x-tenant}"}
            - matches: [{path: {type: Exact, value: /order}}]
              compose:
                parts:
                  - {name: first, backend: {name: catalog, port: 80}, path: /winner/first, placement: Root}
                  - {name: second, backend: {name: catalog, port: 80}, path: /winner/second, placement: Root}
            - matches: [{path: {type: Exact, value: /encode}}]
              compose:
                parts:
                  - {name: product, backend: {name: catalog, port: 80}, path: "/fast/product?q={query.q}&p={query.p}"}
            - matches: [{path: {type: Exact, value: /missing-query}}]
              compose:
                parts:
                  - {name: product, backend: {name: catalog, port: 80}, path: "/fast/product?q={query.q}"}
        """);
  }

  @BeforeEach
  void replies() {
    b.seen.clear();
    b.on("/slow/a/7", Reply.json("{\"name\":\"mug\"}").after(400))
        .on("/slow/b/7", Reply.json("{\"count\":3}").after(400))
        .on("/slow/c/7", Reply.json("{\"stars\":5}").after(400))
        .on("/fast/product", "{\"name\":\"mug\"}")
        .on("/slow/2s", Reply.json("{\"late\":true}").after(2000))
        .on("/status/500", Reply.json("{\"error\":\"boom\"}").status(500))
        .on("/status/500-late", Reply.json("{\"error\":\"late\"}").status(500).after(200))
        .on("/status/404", Reply.json("{\"error\":\"no product 9\"}").status(404))
        .on("/orders/42", "{\"items\":[{\"productId\":\"p1\"},{\"productId\":\"p7\"}]}")
        .on("/products/p7", "{\"id\":\"p7\",\"name\":\"grinder\"}")
        .on("/tags/a", "{\"tags\":[\"a1\",\"a2\"],\"meta\":{\"a\":1}}")
        .on("/tags/b", "{\"tags\":[\"b1\"],\"meta\":{\"b\":2}}")
        .on(
            "/rich",
            "{\"name\":\"mug\",\"price\":9.5,\"color\":\"red\",\"internal\":{\"secret\":\"s\","
                + "\"sku\":\"X1\"},\"reviews\":[{\"rating\":5,\"text\":\"a\"},{\"rating\":3,"
                + "\"text\":\"b\"}]}")
        .on("/gzipped", Reply.json("{\"name\":\"zipped mug\",\"tags\":[1,2,3]}").gzipped())
        .on("/bomb", Reply.json("{\"pad\":\"" + " ".repeat(4_000_000) + "\"}").gzipped())
        .on("/big", "{\"pad\":\"" + "x".repeat(2000) + "\"}")
        .on("/echo-body", "{\"stored\":true}")
        .on("/winner/first", "{\"winner\":\"first\",\"from\":{\"first\":true}}")
        .on("/winner/second", "{\"winner\":\"second\",\"from\":{\"second\":true}}");
  }

  @AfterAll
  static void stop() throws Exception {
    b.close();
    h.close();
  }

  @Test
  void partsRunInParallelSoTheTotalIsTheSlowestNotTheSum() throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> res = h.get("/parallel/7");
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(res.body()))
        .isEqualTo(
            new JsonObject(
                "{\"product\":{\"name\":\"mug\"},\"stock\":{\"count\":3},"
                    + "\"reviews\":{\"stars\":5}}"));
    // Three parts of 400 ms each: in sequence at least 1200 ms, in parallel a little over 400.
    assertThat(millis).isGreaterThanOrEqualTo(400).isLessThan(1000);
    assertThat(res.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(res.headers().firstValue("content-length"))
        .hasValue(Integer.toString(res.body().getBytes().length));
    assertThat(res.headers().firstValue("portico-partial")).isEmpty();
  }

  @Test
  void aSlowOptionalPartIsLeftOutAtTheDeadlineAndNamed() throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> res = h.get("/deadline");
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("portico-partial")).hasValue("reviews");
    assertThat(new JsonObject(res.body()))
        .isEqualTo(new JsonObject("{\"product\":{\"name\":\"mug\"}}"));
    assertThat(millis).isGreaterThanOrEqualTo(300).isLessThan(1500);
  }

  @Test
  void aFailedPartWithAFallbackUsesItAndIsNamed() throws Exception {
    HttpResponse<String> res = h.get("/fallback");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("portico-partial")).hasValue("reviews");
    assertThat(new JsonObject(res.body()).getJsonObject("reviews"))
        .isEqualTo(new JsonObject("{\"reviews\":[],\"note\":\"unavailable\"}"));
  }

  @Test
  void aFailedRequiredPartFailsTheRequest() throws Exception {
    HttpResponse<String> res = h.get("/required-500");
    assertThat(res.statusCode()).isEqualTo(502);
    assertThat(res.headers().firstValue("content-type")).hasValue("application/problem+json");
    JsonObject problem = new JsonObject(res.body());
    assertThat(problem.getString("type")).endsWith("/part-failed");
    assertThat(problem.getString("detail")).contains("part stock answered 500");
    assertThat(problem.getString("requestId")).isNotBlank();
  }

  @Test
  void whenSeveralRequiredPartsFailTheFirstDeclaredOneIsReported() throws Exception {
    // fast fails at once, slow 200 ms later: the answer is about slow all the same.
    HttpResponse<String> res = h.get("/first-failure");
    assertThat(res.statusCode()).isEqualTo(502);
    assertThat(new JsonObject(res.body()).getString("detail")).contains("part slow answered 500");
  }

  @Test
  void aRequiredPartTimingOutAnswers504() throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> res = h.get("/required-timeout");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1500);
    assertThat(res.statusCode()).isEqualTo(504);
    assertThat(new JsonObject(res.body()).getString("detail")).contains("stock", "200ms");
  }

  @Test
  void passThroughStatusAnswersTheRequiredPartsOwn4xx() throws Exception {
    HttpResponse<String> res = h.get("/pass-404");
    assertThat(res.statusCode()).isEqualTo(404);
    assertThat(res.body()).isEqualTo("{\"error\":\"no product 9\"}");
  }

  @Test
  void anUnreachableBackendIs502WhenRequiredAndLeftOutWhenOptional() throws Exception {
    HttpResponse<String> res = h.get("/dead");
    assertThat(res.statusCode()).isEqualTo(502);
    assertThat(new JsonObject(res.body()).getString("type")).endsWith("/upstream-connect-failure");
    HttpResponse<String> optional = h.get("/optional-dead");
    assertThat(optional.statusCode()).isEqualTo(200);
    assertThat(optional.headers().firstValue("portico-partial")).hasValue("extra");
  }

  @Test
  void aDependentPartUsesAValueFromTheEarlierOne() throws Exception {
    HttpResponse<String> res = h.get("/chain?lang=de");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(b.seen("/products/"))
        .extracting(JsonBackend.Seen::uri)
        .containsExactly("/products/p7?lang=de");
    // Declaration order, not completion order: product first although order answered first.
    assertThat(res.body())
        .isEqualTo(
            "{\"product\":{\"id\":\"p7\",\"name\":\"grinder\"},"
                + "\"order\":{\"items\":[{\"productId\":\"p1\"},{\"productId\":\"p7\"}]}}");
  }

  @Test
  void arraysAreConcatenatedWithMergeAndReplacedOtherwise() throws Exception {
    assertThat(new JsonObject(h.get("/arrays-merge").body()))
        .isEqualTo(new JsonObject("{\"tags\":[\"a1\",\"a2\",\"b1\"],\"meta\":{\"a\":1,\"b\":2}}"));
    assertThat(new JsonObject(h.get("/arrays-replace").body()))
        .isEqualTo(new JsonObject("{\"tags\":[\"b1\"],\"meta\":{\"a\":1,\"b\":2}}"));
  }

  @Test
  void selectOmitAndRenameShapeEachPart() throws Exception {
    HttpResponse<String> res = h.get("/shape");
    assertThat(new JsonObject(res.body()))
        .isEqualTo(
            new JsonObject(
                "{\"product\":{\"name\":\"mug\",\"internal\":{\"sku\":\"X1\"},"
                    + "\"reviews\":[{\"rating\":5},{\"rating\":3}],\"pricing\":{\"amount\":9.5}},"
                    + "\"inv\":{\"name\":\"mug\"}}"));
  }

  @Test
  void gzipPartsAreDecodedBeforeTheMerge() throws Exception {
    HttpResponse<String> res = h.get("/gzip");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("content-encoding")).isEmpty();
    assertThat(new JsonObject(res.body()))
        .isEqualTo(new JsonObject("{\"product\":{\"name\":\"zipped mug\",\"tags\":[1,2,3]}}"));
    assertThat(b.seen("/gzipped").get(0).headers().get("accept-encoding")).isEqualTo("gzip");
  }

  @Test
  void aGzipBombIsAPartTooLargeNotAnOutOfMemory() throws Exception {
    HttpResponse<String> res = h.get("/bomb");
    assertThat(res.statusCode()).isEqualTo(502);
    assertThat(new JsonObject(res.body()).getString("type")).endsWith("/part-too-large");
  }

  @Test
  void sizeLimitsOnPartsResponsesAndTheClientBody() throws Exception {
    HttpResponse<String> part = h.get("/big-part");
    assertThat(part.statusCode()).isEqualTo(502);
    assertThat(new JsonObject(part.body()).getString("type")).endsWith("/part-too-large");
    HttpResponse<String> whole = h.get("/big-response");
    assertThat(whole.statusCode()).isEqualTo(502);
    assertThat(new JsonObject(whole.body()).getString("type")).endsWith("/response-too-large");
    HttpResponse<String> upload = post("/upload", "x".repeat(101));
    assertThat(upload.statusCode()).isEqualTo(413);
    assertThat(b.seen("/echo-body")).isEmpty();
  }

  @Test
  void theClientBodyGoesToThePassThroughPartOnly() throws Exception {
    HttpResponse<String> res = post("/upload", "{\"qty\":2}");
    assertThat(res.statusCode()).isEqualTo(200);
    JsonBackend.Seen order = b.seen("/echo-body").get(0);
    assertThat(order.method()).isEqualTo("POST");
    assertThat(order.body()).isEqualTo("{\"qty\":2}");
    assertThat(order.headers().get("content-type")).isEqualTo("application/json");
    JsonBackend.Seen other = b.seen("/fast/product").get(0);
    assertThat(other.method()).isEqualTo("GET");
    assertThat(other.body()).isEmpty();
  }

  @Test
  void partsGetOnlyAllowListedClientHeadersAndTheGatewaysOwnProxyHeaders() throws Exception {
    HttpResponse<String> res =
        h.get(
            "/headers",
            "X-Forwarded-For",
            "6.6.6.6",
            "X-Forwarded-Host",
            "evil.example",
            "Forwarded",
            "for=6.6.6.6",
            "X-User-Id",
            "admin",
            "Authorization",
            "Bearer stolen",
            "Accept-Language",
            "de",
            "X-Tenant",
            "t/../1",
            "X-Request-Id",
            "req-123");
    assertThat(res.statusCode()).isEqualTo(200);
    JsonBackend.Seen seen = b.seen("/fast/product").get(0);
    assertThat(seen.headers().get("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(seen.headers().get("x-forwarded-host")).isNotEqualTo("evil.example");
    assertThat(seen.headers().get("forwarded")).doesNotContain("6.6.6.6");
    assertThat(seen.headers().get("x-user-id")).isNull();
    assertThat(seen.headers().get("authorization")).isNull();
    assertThat(seen.headers().get("accept-language")).isEqualTo("de");
    assertThat(seen.headers().get("x-request-id")).isEqualTo("req-123");
    assertThat(res.headers().firstValue("x-request-id")).hasValue("req-123");
    // A header value cannot add a segment or a parameter to the part's URI.
    assertThat(seen.uri()).isEqualTo("/fast/product?t=t%2F..%2F1");
  }

  @Test
  void valuesAreEncodedSoTheyCannotAddSegmentsOrParameters() throws Exception {
    h.get("/encode?q=..&p=a%26admin%3Dtrue");
    assertThat(b.seen("/fast/product").get(0).uri())
        .isEqualTo("/fast/product?q=%2E%2E&p=a%26admin%3Dtrue");
  }

  @Test
  void aMissingQueryParameterOfARequiredPartIs400() throws Exception {
    HttpResponse<String> res = h.get("/missing-query");
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(res.body()).getString("detail")).contains("query parameter q");
    assertThat(b.seen).isEmpty();
  }

  @Test
  void theMergeFollowsDeclarationOrderWhicheverPartAnswersFirst() throws Exception {
    b.on(
        "/winner/first", Reply.json("{\"winner\":\"first\",\"from\":{\"first\":true}}").after(300));
    String slowFirst = h.get("/order").body();
    b.on("/winner/first", Reply.json("{\"winner\":\"first\",\"from\":{\"first\":true}}"));
    b.on(
        "/winner/second",
        Reply.json("{\"winner\":\"second\",\"from\":{\"second\":true}}").after(300));
    String slowSecond = h.get("/order").body();
    assertThat(slowFirst)
        .isEqualTo(slowSecond)
        .isEqualTo("{\"winner\":\"second\",\"from\":{\"first\":true,\"second\":true}}");
  }

  @Test
  void eachPartIsTimedByOutcome() throws Exception {
    h.get("/deadline");
    assertThat(
            registry
                .find("portico.compose.part.duration")
                .tag("route", "default/r/1")
                .tag("part", "reviews")
                .tag("outcome", "timeout")
                .timer())
        .isNotNull();
    assertThat(
            registry
                .find("portico.compose.part.duration")
                .tag("part", "product")
                .tag("outcome", "ok")
                .timer())
        .isNotNull();
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return h.http.send(
        HttpRequest.newBuilder(h.uri(path))
            .timeout(Duration.ofSeconds(20))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
