package dev.portico.dataplane.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/** Fetches a JWK Set document; never on the caller's thread. */
interface JwksFetcher {
  /** Largest JWK Set accepted: a few hundred keys. */
  int MAX_BYTES = 256 * 1024;

  Future<String> fetch(String uri);

  /**
   * Over Vert.x's HTTP client (TLS verified against the JVM's trust store), with connect and
   * response timeouts and the body bounded.
   */
  static JwksFetcher http(Vertx vertx) {
    HttpClientAgent client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setConnectTimeout(2_000)
                .setKeepAlive(false)
                .setVerifyHost(true),
            new PoolOptions().setHttp1MaxSize(4));
    return uri ->
        client
            .request(
                new RequestOptions()
                    .setMethod(HttpMethod.GET)
                    .setAbsoluteURI(uri)
                    .setTimeout(5_000)
                    .putHeader("accept", "application/json, application/jwk-set+json"))
            .compose(
                req ->
                    req.send()
                        .compose(
                            resp -> {
                              if (resp.statusCode() != 200) {
                                resp.request().reset();
                                return Future.failedFuture("status " + resp.statusCode());
                              }
                              Buffer body = Buffer.buffer();
                              io.vertx.core.Promise<String> done = io.vertx.core.Promise.promise();
                              resp.handler(
                                  chunk -> {
                                    if (body.length() + chunk.length() > MAX_BYTES) {
                                      resp.handler(null);
                                      resp.request().reset();
                                      done.tryFail("the body exceeds " + MAX_BYTES + " bytes");
                                      return;
                                    }
                                    body.appendBuffer(chunk);
                                  });
                              resp.exceptionHandler(done::tryFail);
                              resp.endHandler(v -> done.tryComplete(body.toString()));
                              return done.future();
                            }));
  }
}
