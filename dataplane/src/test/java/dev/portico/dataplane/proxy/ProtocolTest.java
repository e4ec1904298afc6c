package dev.portico.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.dataplane.server.GatewayHarness;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTP/2 cleartext on the listener, and WebSocket upgrades passed through to the backend. */
class ProtocolTest {
  static GatewayHarness h;

  @BeforeAll
  static void start() throws Exception {
    h = new GatewayHarness();
    h.backend("a");
    h.serve(
        """
            - matches: [{path: {type: PathPrefix, value: /}}]
              backends: [{name: a, port: 80}]
        """);
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  @Test
  void h2cWithPriorKnowledge() throws Exception {
    var client =
        h.vertx.createHttpClient(
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
    HttpClientResponse[] resp = new HttpClientResponse[1];
    String body =
        client
            .request(HttpMethod.GET, h.port, "127.0.0.1", "/h2?x=1")
            .compose(req -> req.send())
            .compose(
                r -> {
                  resp[0] = r;
                  return r.body();
                })
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS)
            .toString();
    assertThat(resp[0].version()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(resp[0].statusCode()).isEqualTo(200);
    JsonObject seen = new JsonObject(body);
    assertThat(seen.getString("uri")).isEqualTo("/h2?x=1");
    assertThat(seen.getJsonObject("headers").getString("host")).isEqualTo("127.0.0.1:" + h.port);
    client.close();
  }

  @Test
  void h2cWithUpgrade() throws Exception {
    HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    jdk.send(HttpRequest.newBuilder(h.uri("/warm")).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> r =
        jdk.send(
            HttpRequest.newBuilder(h.uri("/up")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(new JsonObject(r.body()).getString("uri")).isEqualTo("/up");
  }

  @Test
  void webSocketEchoThroughTheGateway() throws Exception {
    CompletableFuture<String> echoed = new CompletableFuture<>();
    WebSocket ws =
        h.http
            .newWebSocketBuilder()
            .buildAsync(
                URI.create("ws://127.0.0.1:" + h.port + "/ws"),
                new WebSocket.Listener() {
                  final StringBuilder text = new StringBuilder();

                  @Override
                  public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                      echoed.complete(text.toString());
                    }
                    w.request(1);
                    return null;
                  }
                })
            .get(10, TimeUnit.SECONDS);
    ws.sendText("hello through portico", true).get(5, TimeUnit.SECONDS);
    assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("hello through portico");
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
  }
}
