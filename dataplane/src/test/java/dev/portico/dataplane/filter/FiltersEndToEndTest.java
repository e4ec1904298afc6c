package dev.portico.dataplane.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.dataplane.server.GatewayHarness;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FiltersEndToEndTest {
  static GatewayHarness h;

  @BeforeAll
  static void start() throws Exception {
    h = new GatewayHarness();
    h.backend("a");
    h.serve(
        """
            - matches: [{path: {type: PathPrefix, value: /headers}}]
              filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier:
                    set: [{name: X-Set, value: fixed}]
                    add: [{name: X-Add, value: extra}]
                    remove: [X-Drop]
                - type: ResponseHeaderModifier
                  responseHeaderModifier:
                    set: [{name: X-Resp, value: r1}]
                    remove: [X-Backend]
              backends: [{name: a, port: 80}]
            - matches: [{path: {type: PathPrefix, value: /old}}]
              filters:
                - type: URLRewrite
                  urlRewrite:
                    hostname: internal.example
                    path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}
              backends: [{name: a, port: 80}]
            - matches: [{path: {type: PathPrefix, value: /strip}}]
              filters:
                - type: URLRewrite
                  urlRewrite:
                    path: {type: ReplacePrefixMatch, replacePrefixMatch: /}
              backends: [{name: a, port: 80}]
            - matches: [{path: {type: PathPrefix, value: /full}}]
              filters:
                - type: URLRewrite
                  urlRewrite:
                    path: {type: ReplaceFullPath, replaceFullPath: /fixed}
              backends: [{name: a, port: 80}]
            - matches: [{path: {type: PathPrefix, value: /moved}}]
              filters:
                - type: RequestRedirect
                  requestRedirect:
                    scheme: https
                    hostname: www.example.com
                    path: {type: ReplacePrefixMatch, replacePrefixMatch: /here}
                    statusCode: 301
            - matches: [{path: {type: PathPrefix, value: /port}}]
              filters:
                - type: RequestRedirect
                  requestRedirect:
                    port: 9443
            - matches: [{path: {type: Exact, value: /teapot}}]
              filters:
                - type: DirectResponse
                  directResponse:
                    statusCode: 503
                    contentType: text/plain
                    body: down for maintenance
        """);
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  @Test
  void requestHeadersAreSetAddedAndRemoved() throws Exception {
    HttpResponse<String> r = h.get("/headers", "X-Set", "client", "X-Add", "mine", "X-Drop", "d");
    JsonObject seen = new JsonObject(r.body()).getJsonObject("headers");
    assertThat(seen.getString("x-set")).isEqualTo("fixed");
    assertThat(seen.getString("x-add")).isEqualTo("mine | extra");
    assertThat(seen.containsKey("x-drop")).isFalse();
  }

  @Test
  void responseHeadersAreEdited() throws Exception {
    HttpResponse<String> r = h.get("/headers");
    assertThat(r.headers().firstValue("x-resp")).hasValue("r1");
    assertThat(r.headers().firstValue("x-backend")).isEmpty();
  }

  @Test
  void prefixAndHostnameAreRewritten() throws Exception {
    JsonObject seen = new JsonObject(h.get("/old/item?q=1").body());
    assertThat(seen.getString("uri")).isEqualTo("/new/item?q=1");
    assertThat(seen.getJsonObject("headers").getString("host")).isEqualTo("internal.example");
    assertThat(new JsonObject(h.get("/old").body()).getString("uri")).isEqualTo("/new");
  }

  @Test
  void prefixCanBeStripped() throws Exception {
    assertThat(new JsonObject(h.get("/strip/a/b").body()).getString("uri")).isEqualTo("/a/b");
    assertThat(new JsonObject(h.get("/strip").body()).getString("uri")).isEqualTo("/");
  }

  @Test
  void fullPathIsReplaced() throws Exception {
    assertThat(new JsonObject(h.get("/full/any/thing").body()).getString("uri"))
        .isEqualTo("/fixed");
  }

  @Test
  void redirectChangesSchemeHostAndPath() throws Exception {
    HttpResponse<String> r = h.get("/moved/a?x=1");
    assertThat(r.statusCode()).isEqualTo(301);
    assertThat(r.headers().firstValue("location")).hasValue("https://www.example.com/here/a?x=1");
  }

  @Test
  void redirectChangesPortOnly() throws Exception {
    HttpResponse<String> r = h.get("/port/p");
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("location")).hasValue("http://127.0.0.1:9443/port/p");
  }

  @Test
  void directResponseAnswersWithoutBackend() throws Exception {
    HttpResponse<String> r = h.get("/teapot");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("content-type")).hasValue("text/plain");
    assertThat(r.body()).isEqualTo("down for maintenance");
  }
}
