package dev.portico.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.dataplane.server.GatewayHarness;
import dev.portico.dataplane.server.RawHttp;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProxyHeadersTest {
  static final String RULES =
      """
          - matches: [{path: {type: PathPrefix, value: /}}]
            backends: [{name: a, port: 80}]
      """;
  static GatewayHarness untrusted;
  static GatewayHarness trusted;

  @BeforeAll
  static void start() throws Exception {
    untrusted = new GatewayHarness();
    untrusted.backend("a");
    untrusted.serve(RULES);
    trusted = new GatewayHarness();
    trusted.backend("a");
    trusted.proxySettings("    trustedHops: 1\n    preserveHost: false\n").serve(RULES);
  }

  @AfterAll
  static void stop() throws Exception {
    untrusted.close();
    trusted.close();
  }

  private static JsonObject seen(HttpResponse<String> r) {
    return new JsonObject(r.body()).getJsonObject("headers");
  }

  @Test
  void spoofedForwardedForFromUntrustedPeerIsDropped() throws Exception {
    JsonObject h = seen(untrusted.get("/x", "X-Forwarded-For", "6.6.6.6"));
    assertThat(h.getString("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(h.getString("forwarded")).startsWith("for=127.0.0.1;proto=http");
    assertThat(h.getString("x-forwarded-proto")).isEqualTo("http");
    assertThat(h.getString("x-forwarded-host")).isEqualTo("127.0.0.1:" + untrusted.port);
  }

  @Test
  void trustedHopIsKeptAndPeerAppended() throws Exception {
    JsonObject h =
        seen(
            trusted.get(
                "/x", "X-Forwarded-For", "6.6.6.6, 203.0.113.7", "X-Forwarded-Proto", "https"));
    // 6.6.6.6 was written by the client itself; only the trusted proxy's entry survives.
    assertThat(h.getString("x-forwarded-for")).isEqualTo("203.0.113.7, 127.0.0.1");
    assertThat(h.getString("forwarded")).startsWith("for=203.0.113.7, for=127.0.0.1;proto=https");
    assertThat(h.getString("x-forwarded-proto")).isEqualTo("https");
  }

  @Test
  void hostIsPreservedOrRewrittenToTheEndpoint() throws Exception {
    assertThat(seen(untrusted.get("/x")).getString("host"))
        .isEqualTo("127.0.0.1:" + untrusted.port);
    // preserveHost: false sends the endpoint's own address.
    assertThat(seen(trusted.get("/x")).getString("host"))
        .startsWith("127.0.0.1:")
        .doesNotContain(":" + trusted.port);
  }

  @Test
  void hopByHopHeadersAreStripped() throws Exception {
    RawHttp.Response r =
        RawHttp.send(
            untrusted.port,
            "GET /x HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive, X-Secret\r\n"
                + "X-Secret: s\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\n"
                + "Proxy-Authorization: Basic eA==\r\nX-Kept: yes\r\n\r\n");
    String body = r.text().substring(r.text().indexOf("\r\n\r\n") + 4);
    JsonObject h = new JsonObject(body).getJsonObject("headers");
    assertThat(h.fieldNames())
        .doesNotContain("x-secret", "keep-alive", "te", "proxy-authorization")
        .contains("x-kept");
    assertThat(h.getString("connection", "keep-alive")).doesNotContainIgnoringCase("x-secret");
  }

  @Test
  void requestIdIsPropagated() throws Exception {
    HttpResponse<String> r = untrusted.get("/x", "X-Request-Id", "abc-123");
    assertThat(seen(r).getString("x-request-id")).isEqualTo("abc-123");
    assertThat(r.headers().firstValue("x-request-id")).hasValue("abc-123");
  }

  @Test
  void requestIdIsGeneratedWhenMissingOrUnsafe() throws Exception {
    HttpResponse<String> r = untrusted.get("/x");
    String id = seen(r).getString("x-request-id");
    assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(r.headers().firstValue("x-request-id")).hasValue(id);
    String unsafe = seen(untrusted.get("/x", "X-Request-Id", "a b")).getString("x-request-id");
    assertThat(unsafe).isNotEqualTo("a b").hasSize(36);
  }
}
