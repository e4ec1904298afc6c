import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.transport.Transport;

/**
 * A benchmark peer, not product code: the least a Vert.x reverse proxy does per request (copy the
 * request head up, pipe the response back, one pooled keep-alive client) on the same Vert.x,
 * transport and JVM as Portico. Its figures are the framework's ceiling; the gap between it and
 * Portico is what Portico itself costs. Run from source with the data-plane jar on the class path:
 * {@code java -cp portico-dataplane.jar BareVertxProxy.java <port> <backend port>}.
 */
public class BareVertxProxy {
  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    int backend = Integer.parseInt(args[1]);
    Transport transport =
        "nio".equals(System.getenv("PORTICO_TRANSPORT")) || !Transport.EPOLL.available()
            ? Transport.NIO
            : Transport.EPOLL;
    Vertx vertx = Vertx.builder().withTransport(transport).build();
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
            new PoolOptions().setHttp1MaxSize(256));
    vertx
        .createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
        .requestHandler(
            req -> {
              req.pause();
              RequestOptions up =
                  new RequestOptions()
                      .setHost("127.0.0.1")
                      .setPort(backend)
                      .setMethod(req.method())
                      .setURI(req.uri())
                      .setHeaders(MultiMap.caseInsensitiveMultiMap().addAll(req.headers()));
              client
                  .request(up)
                  .compose(creq -> creq.send(req))
                  .onComplete(
                      ar -> {
                        if (ar.failed()) {
                          req.response().setStatusCode(502).end();
                          return;
                        }
                        var resp = ar.result();
                        req.response().setStatusCode(resp.statusCode());
                        req.response().headers().addAll(resp.headers());
                        resp.pipeTo(req.response());
                      });
            })
        .listen(port, "127.0.0.1")
        .onSuccess(s -> System.out.println("bare Vert.x proxy on " + port + " (" + transport.name() + ")"))
        .onFailure(e -> { e.printStackTrace(); System.exit(1); });
  }
}
