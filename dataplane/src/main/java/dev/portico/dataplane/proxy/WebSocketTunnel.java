package dev.portico.dataplane.proxy;

import dev.portico.dataplane.cors.CorsResponse;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetSocket;
import java.util.Set;

/**
 * Once a backend accepted a WebSocket upgrade (101), answers the client's upgrade with the
 * backend's handshake headers and splices the two connections into a byte tunnel; frames pass
 * through unparsed, with back-pressure both ways.
 */
final class WebSocketTunnel {
  private WebSocketTunnel() {}

  /**
   * @param cors the CORS rule's fields, which replace the backend's Access-Control-* ones, or null
   */
  static void splice(
      HttpServerRequest req,
      HttpClientResponse upstream,
      String requestId,
      CorsResponse cors,
      Runnable onClose) {
    HttpServerResponse res = req.response();
    res.setStatusCode(101);
    HopByHopHeaders.copy(upstream.headers(), res.headers(), Set.of());
    if (cors != null) {
      cors.replaceUpstream(res.headers());
    }
    res.headers().set("connection", "Upgrade").set("upgrade", "websocket");
    res.headers().set(RequestIds.HEADER, requestId);
    NetSocket backend = upstream.netSocket();
    req.toNetSocket()
        .onSuccess(
            client -> {
              client.pipeTo(backend);
              backend.pipeTo(client);
              client.closeHandler(v -> closeBoth(backend, onClose));
              backend.closeHandler(v -> closeBoth(client, onClose));
            })
        .onFailure(
            e -> {
              backend.close();
              onClose.run();
            });
  }

  private static void closeBoth(NetSocket other, Runnable onClose) {
    other.close();
    onClose.run();
  }
}
