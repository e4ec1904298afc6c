package dev.portico.dataplane.compose;

import dev.portico.dataplane.compose.PartResult.Outcome;
import dev.portico.dataplane.proxy.ProxyListener;
import dev.portico.dataplane.upstream.AttemptFailure;
import dev.portico.dataplane.upstream.Endpoint;
import dev.portico.dataplane.upstream.EndpointSet;
import dev.portico.dataplane.upstream.RetryDecider;
import dev.portico.dataplane.upstream.RetryDecision;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Timer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One part request of a composition: picks an endpoint with the rule's balancer, sends the request
 * through the shared upstream client's pools, reads the response whole (bounded), and retries and
 * records outliers as proxying does. The body is buffered, so a retry can replay it; which failures
 * and methods are retried is still the rule's {@link RetryDecider}'s call. Runs on the client
 * request's event loop.
 */
final class PartCall {
  private final Vertx vertx;
  private final HttpClient client;
  private final PartPlan part;
  private final RetryDecider retries;
  private final ProxyListener listener;
  private final String uri;
  private final MultiMap headers;
  private final Buffer body;
  private final String hashKey;
  private final long connectTimeoutMillis;
  private final long perTryMillis;
  private final long idleTimeoutMillis;
  private final long maxBytes;
  private final Promise<PartResult> result = Promise.promise();

  private HttpClientRequest current;
  private Endpoint endpoint;
  private EndpointSet endpointSet;
  private boolean attemptOpen;
  private boolean retrySlot;
  private boolean tryTimedOut;
  private boolean done;
  private int retriesDone;
  private Timer tryTimer;

  PartCall(
      Vertx vertx,
      HttpClient client,
      PartPlan part,
      RetryDecider retries,
      ProxyListener listener,
      String uri,
      MultiMap headers,
      Buffer body,
      String hashKey,
      long connectTimeoutMillis,
      long perTryMillis,
      long idleTimeoutMillis,
      long maxBytes) {
    this.vertx = vertx;
    this.client = client;
    this.part = part;
    this.retries = retries;
    this.listener = listener;
    this.uri = uri;
    this.headers = headers;
    this.body = body;
    this.hashKey = hashKey;
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.perTryMillis =
        retries.perTryTimeoutMillis() > 0 ? retries.perTryTimeoutMillis() : perTryMillis;
    this.idleTimeoutMillis = idleTimeoutMillis;
    this.maxBytes = maxBytes;
  }

  Future<PartResult> start() {
    if (part.balancer() == null) {
      complete(
          PartResult.failed(
              Outcome.NO_BACKEND, "the backend of part " + part.name() + " did not resolve"));
      return result.future();
    }
    part.budget().requestStarted();
    attempt(null);
    return result.future();
  }

  /** Gives up (deadline, part timeout, client gone): the attempt in flight is reset. */
  void cancel(Outcome outcome, String detail) {
    if (done) {
      return;
    }
    HttpClientRequest req = current;
    complete(PartResult.failed(outcome, detail));
    if (req != null) {
      req.reset();
    }
  }

  private void attempt(Endpoint avoid) {
    Endpoint ep = part.balancer().pick(hashKey, avoid);
    if (ep == null) {
      complete(
          PartResult.failed(
              Outcome.NO_ENDPOINT,
              "backend "
                  + part.balancer().endpoints().name()
                  + " of part "
                  + part.name()
                  + " has no endpoint"));
      return;
    }
    endpoint = ep;
    endpointSet = part.balancer().endpoints();
    attemptOpen = true;
    tryTimedOut = false;
    ep.requestStarted();
    listener.attempt(endpointSet.name(), ep.authority());
    RequestOptions options =
        new RequestOptions()
            .setServer(server(ep))
            .setHost(ep.address().host())
            .setPort(ep.address().port())
            .setMethod(part.method())
            .setURI(uri)
            .setHeaders(headers)
            .setConnectTimeout(connectTimeoutMillis)
            .setIdleTimeout(idleTimeoutMillis);
    client.request(options).onComplete(this::connected);
  }

  private static SocketAddress server(Endpoint ep) {
    InetSocketAddress literal = ep.literalAddress();
    if (literal != null) {
      return SocketAddress.inetSocketAddress(literal);
    }
    return SocketAddress.inetSocketAddress(ep.address().port(), ep.address().host());
  }

  private void connected(AsyncResult<HttpClientRequest> ar) {
    if (done) {
      if (ar.succeeded()) {
        ar.result().reset();
      }
      return;
    }
    if (ar.failed()) {
      attemptFailed(AttemptFailure.ConnectFailure, ar.cause().getMessage());
      return;
    }
    HttpClientRequest creq = ar.result();
    current = creq;
    creq.exceptionHandler(e -> {}); // failures surface through the response future
    if (perTryMillis > 0) {
      tryTimer = vertx.timer(perTryMillis, TimeUnit.MILLISECONDS);
      tryTimer.onSuccess(
          v -> {
            tryTimedOut = true;
            creq.reset(0, new TimeoutException("no response head within " + perTryMillis));
          });
    }
    creq.response().onComplete(r -> responded(creq, r));
    if (body != null) {
      creq.end(body);
    } else {
      creq.end();
    }
  }

  private void responded(HttpClientRequest creq, AsyncResult<HttpClientResponse> ar) {
    cancelTryTimer();
    if (ar.succeeded()) {
      ar.result().exceptionHandler(e -> {});
    }
    if (done) {
      creq.reset();
      return;
    }
    if (ar.failed()) {
      attemptFailed(
          tryTimedOut ? AttemptFailure.Status504 : AttemptFailure.Reset, ar.cause().getMessage());
      return;
    }
    HttpClientResponse resp = ar.result();
    AttemptFailure failure = AttemptFailure.ofStatus(resp.statusCode());
    if (failure == null) {
      endpointSet.recordSuccess(endpoint);
    } else {
      if (endpointSet.recordFailure(endpoint, failure)) {
        listener.ejected(endpointSet.name());
      }
      if (retry(failure)) {
        creq.reset();
        return;
      }
    }
    read(resp);
  }

  /** Reads the body whole, up to the part limit (counted before and after gzip decoding). */
  private void read(HttpClientResponse resp) {
    String encoding = resp.getHeader("content-encoding");
    boolean gzip = encoding != null && GzipBody.isGzip(encoding);
    if (encoding != null && !gzip && !encoding.equalsIgnoreCase("identity")) {
      endAttempt();
      current.reset();
      complete(
          PartResult.failed(
              Outcome.BAD_BODY,
              "part "
                  + part.name()
                  + " answered Content-Encoding "
                  + GzipBody.printable(encoding)));
      return;
    }
    Buffer bytes = Buffer.buffer();
    resp.handler(
        buf -> {
          if (done) {
            return;
          }
          if (bytes.length() + buf.length() > maxBytes) {
            tooLarge();
            return;
          }
          bytes.appendBuffer(buf);
        });
    resp.exceptionHandler(
        e -> {
          if (!done) {
            attemptFailed(AttemptFailure.Reset, e.getMessage());
          }
        });
    resp.endHandler(
        v -> {
          if (done) {
            return;
          }
          endAttempt();
          Buffer decoded = bytes;
          if (gzip) {
            try {
              decoded = GzipBody.decode(bytes, maxBytes);
            } catch (GzipBody.TooLargeException e) {
              complete(PartResult.failed(Outcome.TOO_LARGE, tooLargeDetail()));
              return;
            } catch (IllegalArgumentException e) {
              complete(
                  PartResult.failed(
                      Outcome.BAD_BODY, "part " + part.name() + " sent a broken gzip body"));
              return;
            }
          }
          int status = resp.statusCode();
          complete(
              new PartResult(
                  status >= 200 && status < 300 ? Outcome.OK : Outcome.STATUS,
                  status,
                  decoded,
                  resp.getHeader("content-type"),
                  "part " + part.name() + " answered " + status));
        });
  }

  private void tooLarge() {
    HttpClientRequest req = current;
    endAttempt();
    complete(PartResult.failed(Outcome.TOO_LARGE, tooLargeDetail()));
    req.reset();
  }

  private String tooLargeDetail() {
    return "the response of part " + part.name() + " is larger than " + maxBytes + " bytes";
  }

  private void attemptFailed(AttemptFailure failure, String detail) {
    if (endpointSet.recordFailure(endpoint, failure)) {
      listener.ejected(endpointSet.name());
    }
    if (failure == AttemptFailure.ConnectFailure) {
      listener.connectFailed(endpointSet.name());
    }
    String where = endpoint.authority();
    endAttempt();
    if (retry(failure)) {
      return;
    }
    Outcome outcome =
        switch (failure) {
          case ConnectFailure -> Outcome.CONNECT_FAILURE;
          case Status504 -> Outcome.TIMEOUT;
          default -> Outcome.RESET;
        };
    complete(
        PartResult.failed(
            outcome,
            failure == AttemptFailure.Status504
                ? "part "
                    + part.name()
                    + ": "
                    + where
                    + " sent no response head within "
                    + perTryMillis
                    + "ms"
                : "part " + part.name() + ": " + where + ": " + detail));
  }

  private boolean retry(AttemptFailure failure) {
    endAttempt();
    RetryDecision decision =
        retries.decide(part.method().name(), failure, retriesDone, part.budget());
    if (!decision.retry()) {
      return false;
    }
    retrySlot = true;
    retriesDone++;
    listener.retry();
    Endpoint avoid = endpoint;
    long delay = retries.backoff().delayMillis(retriesDone);
    if (delay <= 0) {
      attempt(avoid);
    } else {
      vertx.setTimer(
          delay,
          id -> {
            if (!done) {
              attempt(avoid);
            } else {
              releaseRetrySlot();
            }
          });
    }
    return true;
  }

  private void complete(PartResult r) {
    if (done) {
      return;
    }
    done = true;
    cancelTryTimer();
    endAttempt();
    if (part.balancer() != null) {
      part.budget().requestFinished();
    }
    result.complete(r);
  }

  private void endAttempt() {
    if (attemptOpen) {
      attemptOpen = false;
      endpoint.requestFinished();
    }
    releaseRetrySlot();
  }

  private void releaseRetrySlot() {
    if (retrySlot) {
      retrySlot = false;
      part.budget().retryFinished();
    }
  }

  private void cancelTryTimer() {
    if (tryTimer != null) {
      tryTimer.cancel();
      tryTimer = null;
    }
  }
}
