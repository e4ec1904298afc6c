package dev.portico.dataplane.proxy;

import dev.portico.dataplane.filter.HeaderEditFilter;
import dev.portico.dataplane.problem.ProblemType;
import dev.portico.dataplane.problem.Problems;
import dev.portico.dataplane.upstream.AttemptFailure;
import dev.portico.dataplane.upstream.Endpoint;
import dev.portico.dataplane.upstream.EndpointSet;
import dev.portico.dataplane.upstream.LoadBalancer;
import dev.portico.dataplane.upstream.RetryDecision;
import io.vertx.core.AsyncResult;
import io.vertx.core.Timer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Forwards one request to a backend, the last stage of the request path: picks a backend and an
 * endpoint, takes a pooled connection, streams the request body up and the response back with
 * back-pressure, and applies the per-attempt and whole-request timeouts, retries and passive
 * outlier detection.
 *
 * <p>Retries replay nothing: a request body is streamed, never kept, so an attempt is retried only
 * when no body byte has left the gateway, that is for bodiless requests, or for any request whose
 * connection could not be established (the body is read only once a connection exists). Everything
 * runs on the request's event loop, so the fields need no synchronisation.
 */
public final class ProxyExchange {
  private static final Set<String> NO_SKIP = HopByHopHeaders.names();

  private final Vertx vertx;
  private final HttpClient client;
  private final ProxyRequest pr;
  private final ProxyListener listener;
  private final HttpServerRequest req;
  private final HttpServerResponse res;
  private final long perTryMillis;
  private final long startNanos = System.nanoTime();

  private HttpClientRequest current;
  private Endpoint endpoint;
  private EndpointSet endpointSet;
  private boolean attemptOpen;
  private boolean retrySlot;
  private boolean tryTimedOut;
  private boolean bodyStarted;
  private boolean done;
  private boolean headForwarded;
  private boolean finished;
  private int retriesDone;
  private long bodyBytes;
  // Vert.x timers scheduled on this event loop directly: cheaper than setTimer's shared id map.
  private Timer tryTimer;
  private Timer requestTimer;

  private ProxyExchange(Vertx vertx, HttpClient client, ProxyRequest pr, ProxyListener listener) {
    this.vertx = vertx;
    this.client = client;
    this.pr = pr;
    this.listener = listener;
    this.req = pr.request();
    this.res = req.response();
    long ruleTry = pr.backends().retries().perTryTimeoutMillis();
    this.perTryMillis = ruleTry > 0 ? ruleTry : pr.perTryTimeoutMillis();
  }

  /**
   * Prepares forwarding; {@link #start()} begins it. The caller paused the request before any
   * asynchronous step, and must call {@link #responseEnded()} and {@link #clientClosed()} from the
   * response's end and close handlers, which it owns.
   */
  public static ProxyExchange of(Vertx vertx, HttpClient client, ProxyRequest pr, ProxyListener l) {
    return new ProxyExchange(vertx, client, pr, l);
  }

  /** The response to the client is complete. */
  public void responseEnded() {
    finish();
  }

  /** The client's connection closed, possibly before the response was complete. */
  public void clientClosed() {
    abort();
  }

  public void start() {
    pr.backends().budget().requestStarted();
    if (pr.requestTimeoutMillis() > 0) {
      requestTimer = vertx.timer(pr.requestTimeoutMillis(), TimeUnit.MILLISECONDS);
      requestTimer.onSuccess(v -> requestTimedOut());
    }
    attempt(null);
  }

  private void attempt(Endpoint avoid) {
    LoadBalancer lb = pr.backends().pick();
    if (lb == null) {
      fail(
          ProblemType.NO_BACKEND, "no backend of rule " + pr.backends().rule().id() + " is usable");
      return;
    }
    Endpoint ep = lb.pick(pr.hashKey(), avoid);
    if (ep == null) {
      fail(
          ProblemType.NO_HEALTHY_ENDPOINT, "backend " + lb.endpoints().name() + " has no endpoint");
      return;
    }
    endpoint = ep;
    endpointSet = lb.endpoints();
    attemptOpen = true;
    tryTimedOut = false;
    ep.requestStarted();
    listener.attempt(endpointSet.name(), ep.authority());
    HostAndPort authority =
        pr.authority() != null
            ? pr.authority()
            : HostAndPort.create(ep.address().host(), ep.address().port());
    RequestOptions options =
        new RequestOptions()
            .setServer(server(ep))
            .setHost(authority.host())
            .setPort(authority.port() > 0 ? authority.port() : 80)
            .setMethod(req.method())
            .setURI(pr.uri())
            // Vert.x copies these into the request's own headers, so every attempt starts afresh.
            .setHeaders(pr.headers())
            .setConnectTimeout(pr.connectTimeoutMillis())
            .setIdleTimeout(pr.idleTimeoutMillis());
    client.request(options).onComplete(ar -> connected(ar, authority));
  }

  /**
   * An IP literal becomes a resolved address, so no resolver is asked; endpoints are nearly always
   * IP addresses (EndpointSlices), and a name goes through Vert.x's non-blocking resolver.
   */
  private static SocketAddress server(Endpoint ep) {
    InetSocketAddress literal = ep.literalAddress();
    if (literal != null) {
      return SocketAddress.inetSocketAddress(literal);
    }
    return SocketAddress.inetSocketAddress(ep.address().port(), ep.address().host());
  }

  private void connected(AsyncResult<HttpClientRequest> ar, HostAndPort authority) {
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
    creq.authority(authority);
    creq.exceptionHandler(e -> {}); // failures surface through the response future
    if (perTryMillis > 0) {
      tryTimer = vertx.timer(perTryMillis, TimeUnit.MILLISECONDS);
      tryTimer.onSuccess(
          v -> {
            tryTimedOut = true;
            creq.reset(0, new TimeoutException("no response head within " + perTryMillis));
          });
    }
    if (pr.webSocket()) {
      creq.connect().onComplete(r -> responded(creq, r));
      return;
    }
    creq.response().onComplete(r -> responded(creq, r));
    if (pr.hasBody()) {
      streamBody(creq);
    } else {
      creq.end();
    }
  }

  /** Pipes the client's body up, pausing the client while the backend connection is full. */
  private void streamBody(HttpClientRequest creq) {
    bodyStarted = true;
    if (creq.headers().get("content-length") == null) {
      creq.setChunked(true);
    }
    req.handler(
        buf -> {
          bodyBytes += buf.length();
          if (pr.maxBodyBytes() > 0 && bodyBytes > pr.maxBodyBytes()) {
            req.handler(null);
            // Answer first: the reset below fails the attempt, which must not answer 502 instead.
            fail(ProblemType.BODY_TOO_LARGE, "the body exceeds " + pr.maxBodyBytes() + " bytes");
            creq.reset();
            return;
          }
          creq.write(buf);
          if (creq.writeQueueFull()) {
            req.pause();
            creq.drainHandler(v -> req.resume());
          }
        });
    req.endHandler(v -> creq.end());
    req.exceptionHandler(e -> creq.reset());
    req.resume();
  }

  private void responded(HttpClientRequest creq, AsyncResult<HttpClientResponse> ar) {
    cancelTryTimer();
    if (ar.succeeded()) {
      // A response dropped below (client gone, or retried) is reset; without a handler Vert.x
      // logs that reset as an unhandled ERROR. forward() installs the real handler.
      ar.result().exceptionHandler(e -> {});
    }
    if (done) {
      creq.reset();
      return;
    }
    if (ar.failed()) {
      AttemptFailure failure = tryTimedOut ? AttemptFailure.Status504 : AttemptFailure.Reset;
      attemptFailed(failure, ar.cause().getMessage());
      return;
    }
    HttpClientResponse resp = ar.result();
    listener.upstreamResponded(System.nanoTime() - startNanos);
    AttemptFailure failure = AttemptFailure.ofStatus(resp.statusCode());
    if (failure == null) {
      endpointSet.recordSuccess(endpoint);
    } else {
      if (endpointSet.recordFailure(endpoint, failure)) {
        listener.ejected(endpointSet.name());
      }
      if (!bodyStarted && retry(failure)) {
        creq.reset();
        return;
      }
    }
    if (pr.webSocket() && resp.statusCode() == 101) {
      headForwarded = true;
      WebSocketTunnel.splice(req, resp, pr.requestId(), pr.cors(), this::endAttempt);
      return;
    }
    forward(resp);
  }

  private void forward(HttpClientResponse resp) {
    headForwarded = true;
    res.setStatusCode(resp.statusCode());
    if (req.version() != HttpVersion.HTTP_2 && resp.statusMessage() != null) {
      res.setStatusMessage(resp.statusMessage());
    }
    HopByHopHeaders.copy(resp.headers(), res.headers(), NO_SKIP);
    if (pr.cors() != null) {
      pr.cors().replaceUpstream(res.headers());
    }
    if (!res.headers().contains(RequestIds.HEADER)) {
      res.putHeader(RequestIds.HEADER, pr.requestId());
    }
    HeaderEditFilter.apply(pr.responseEdits(), res.headers());
    boolean bodyless =
        req.method() == HttpMethod.HEAD || resp.statusCode() == 204 || resp.statusCode() == 304;
    if (!bodyless
        && req.version() != HttpVersion.HTTP_2
        && resp.headers().get("content-length") == null) {
      res.setChunked(true);
    }
    resp.handler(
        buf -> {
          res.write(buf);
          if (res.writeQueueFull()) {
            resp.pause();
            res.drainHandler(v -> resp.resume());
          }
        });
    resp.exceptionHandler(
        e -> {
          // The head is out: cutting the connection is the only way to say "truncated".
          endAttempt();
          res.reset();
        });
    resp.endHandler(
        v -> {
          endAttempt();
          res.end();
        });
  }

  /** Records the failure, then retries or answers with the matching problem. */
  private void attemptFailed(AttemptFailure failure, String detail) {
    if (endpointSet.recordFailure(endpoint, failure)) {
      listener.ejected(endpointSet.name());
    }
    if (failure == AttemptFailure.ConnectFailure) {
      listener.connectFailed(endpointSet.name());
    }
    String where = endpoint.authority();
    endAttempt();
    // A connect failure happened before the body was read, so even a request with a body is safe.
    boolean replayable = !bodyStarted;
    if (replayable && retry(failure)) {
      return;
    }
    fail(
        Problems.of(failure),
        failure == AttemptFailure.Status504
            ? where + " sent no response head within " + perTryMillis + "ms"
            : where + ": " + detail);
  }

  private boolean retry(AttemptFailure failure) {
    endAttempt();
    RetryDecision decision =
        pr.backends()
            .retries()
            .decide(req.method().name(), failure, retriesDone, pr.backends().budget());
    if (!decision.retry()) {
      return false;
    }
    retrySlot = true;
    retriesDone++;
    listener.retry();
    Endpoint avoid = endpoint;
    long delay = pr.backends().retries().backoff().delayMillis(retriesDone);
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

  private void requestTimedOut() {
    requestTimer = null;
    if (done) {
      return;
    }
    if (headForwarded) {
      abortUpstream();
      res.reset();
      return;
    }
    // Answer before aborting: the abort fails the attempt, which must not answer 502 instead.
    fail(
        ProblemType.UPSTREAM_TIMEOUT,
        "no response within the rule's request timeout of " + pr.requestTimeoutMillis() + "ms");
    abortUpstream();
  }

  private void fail(ProblemType type, String detail) {
    if (done) {
      return;
    }
    done = true;
    cancelTimers();
    endAttempt();
    // A body the client is still sending would be read as the next request: close instead.
    boolean unread = pr.hasBody() && !req.isEnded();
    Problems.send(req, type, detail, pr.requestId(), unread);
  }

  /** The client went away: stop the upstream side too. */
  private void abort() {
    if (!done) {
      done = true;
      abortUpstream();
      cancelTimers();
    }
    finish();
  }

  private void abortUpstream() {
    if (current != null) {
      current.reset();
    }
    endAttempt();
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
      pr.backends().budget().retryFinished();
    }
  }

  private void finish() {
    if (!finished) {
      finished = true;
      done = true;
      cancelTimers();
      endAttempt();
      pr.backends().budget().requestFinished();
    }
  }

  private void cancelTryTimer() {
    if (tryTimer != null) {
      tryTimer.cancel();
      tryTimer = null;
    }
  }

  private void cancelTimers() {
    cancelTryTimer();
    if (requestTimer != null) {
      requestTimer.cancel();
      requestTimer = null;
    }
  }
}
