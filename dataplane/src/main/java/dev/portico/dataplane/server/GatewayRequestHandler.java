package dev.portico.dataplane.server;

import dev.portico.dataplane.accesslog.AccessLog;
import dev.portico.dataplane.auth.AuthOutcome;
import dev.portico.dataplane.auth.QueryStrings;
import dev.portico.dataplane.auth.SecurityPlan;
import dev.portico.dataplane.compose.ComposeExchange;
import dev.portico.dataplane.cors.CorsHeaders;
import dev.portico.dataplane.cors.CorsPolicy;
import dev.portico.dataplane.filter.DirectResponseFilter;
import dev.portico.dataplane.filter.HeaderEditFilter;
import dev.portico.dataplane.filter.RedirectFilter;
import dev.portico.dataplane.metrics.ProxyMetrics;
import dev.portico.dataplane.problem.ProblemType;
import dev.portico.dataplane.problem.Problems;
import dev.portico.dataplane.proxy.ForwardedHeaders;
import dev.portico.dataplane.proxy.ProxyExchange;
import dev.portico.dataplane.proxy.ProxyRequest;
import dev.portico.dataplane.proxy.RequestIds;
import dev.portico.dataplane.proxy.RuleBackends;
import dev.portico.dataplane.ratelimit.RateLimitDecision;
import dev.portico.dataplane.ratelimit.RateLimitFields;
import dev.portico.dataplane.ratelimit.RuleLimits;
import dev.portico.dataplane.routing.NormalizedPath;
import dev.portico.dataplane.routing.RouteMatch;
import dev.portico.dataplane.routing.RouteTable;
import dev.portico.snapshot.ActionConfig;
import dev.portico.snapshot.RuleConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import java.util.function.Consumer;

/**
 * The request path of one listener, from the limits to the action: captures the current snapshot
 * once, guards, normalizes the path, matches a route (answering CORS preflights of CORS rules),
 * applies the rule's security and rate limits, then redirects, answers directly, composes, or hands
 * the request to the proxy stage. Runs on the event loop and never blocks.
 */
final class GatewayRequestHandler implements Handler<HttpServerRequest> {
  private final int port;
  private final SnapshotHolder snapshots;
  private final Vertx vertx;
  private final HttpClient client;
  private final ProxyMetrics metrics;
  private final AccessLog accessLog;
  private final UpstreamRequestBuilder upstream = new UpstreamRequestBuilder();

  GatewayRequestHandler(
      int port,
      SnapshotHolder snapshots,
      Vertx vertx,
      HttpClient client,
      ProxyMetrics metrics,
      AccessLog accessLog) {
    this.port = port;
    this.snapshots = snapshots;
    this.vertx = vertx;
    this.client = client;
    this.metrics = metrics;
    this.accessLog = accessLog;
  }

  @Override
  public void handle(HttpServerRequest req) {
    // Captured once: every later stage of this request uses this snapshot, whatever is swapped in.
    LoadedSnapshot snap = snapshots.current();
    RequestRecord record =
        new RequestRecord(
            req, RequestIds.fromOrNew(req.getHeader(RequestIds.HEADER)), metrics, accessLog);
    SocketAddress peer = req.remoteAddress();
    record.clientAddress = peer == null ? null : peer.hostAddress();
    req.response().endHandler(v -> record.done());
    req.response().closeHandler(v -> record.done());
    if (snap == null) {
      Problems.send(req, ProblemType.NO_ROUTE, "no configuration is loaded yet", record.requestId);
      return;
    }
    Rejection rejection = RequestGuard.check(req, snap.proxy());
    if (rejection != null) {
      Problems.send(req, rejection.type(), rejection.detail(), record.requestId, rejection.close());
      return;
    }
    NormalizedPath path = snap.normalizer().normalize(originForm(req.uri()));
    record.path = path.path();
    if (!path.isValid()) {
      Problems.send(req, ProblemType.INVALID_PATH, path.detail(), record.requestId);
      return;
    }
    String host = host(req);
    RouteTable table = snap.table(port);
    ServerRequestView view = new ServerRequestView(req, path);
    if (table != null
        && CorsHeaders.isPreflight(req)
        && answeredPreflight(req, snap, table, host, view, record)) {
      return;
    }
    RouteMatch match = table == null ? null : table.match(host, view);
    RuleConfig rule = match == null ? null : snap.rule(match.rule());
    if (rule == null) {
      Problems.send(req, ProblemType.NO_ROUTE, null, record.requestId);
      return;
    }
    record.route = rule.id();
    CorsPolicy cors = snap.cors(rule.id());
    if (cors != null) {
      // Written before any stage can answer: every answer of the rule carries them, the gateway's
      // own refusals too (Problems keeps them), so browser code can read why it was refused.
      record.cors = cors.response(req.getHeader(CorsHeaders.ORIGIN));
      record.cors.writeTo(req.response().headers());
    }
    ActionConfig action = rule.action();
    boolean proxied = forwardsBody(action);
    RuleLimits limits = snap.rateLimits(rule.id());
    SecurityPlan security = snap.security(rule.id());
    ForwardedHeaders forwarded = null;
    if (proxied
        || (limits != null && limits.needsClientAddress())
        || (security != null && security.needsClientAddress())) {
      // Worked out once: the rate-limit key and the proxy headers agree on who the client is.
      forwarded =
          ForwardedHeaders.of(
              req.headers(), record.clientAddress, scheme(req), host, snap.proxy().trustedHops());
      record.clientAddress = forwarded.clientAddress();
    }
    record.security = security;
    if (security != null) {
      // Authenticate and authorize before rate limits: a refused caller takes no token.
      Future<AuthOutcome> checked =
          security.check(
              req.method().name(),
              req.headers(),
              name -> QueryStrings.value(path.rawQuery(), name),
              record.clientAddress);
      if (!checked.isComplete()) {
        // A JWK Set fetch or a bcrypt check.
        ForwardedHeaders clientHeaders = forwarded;
        whenDone(
            req,
            checked,
            outcome -> {
              boolean passed = authenticated(req, outcome, record);
              if (passed) {
                limitAndAct(req, snap, rule, match, path, view, clientHeaders, record, limits);
              }
              if (!passed || !proxied) {
                req.resume();
              }
            });
        return;
      }
      if (!authenticated(req, checked.result(), record)) {
        return;
      }
    }
    limitAndAct(req, snap, rule, match, path, view, forwarded, record, limits);
  }

  /**
   * Answers a CORS preflight when the rule it asks about has a CORS filter: matched as if its
   * method were the one it asks for (a rule for GET /api answers the preflight of a GET), and
   * answered before security and rate limits, since browsers send no credentials on preflights.
   * Returns false when that rule has no CORS filter: then the OPTIONS request is matched and
   * handled like any other.
   */
  private static boolean answeredPreflight(
      HttpServerRequest req,
      LoadedSnapshot snap,
      RouteTable table,
      String host,
      ServerRequestView view,
      RequestRecord record) {
    RouteMatch asked =
        table.match(host, view.withMethod(req.getHeader(CorsHeaders.REQUEST_METHOD)));
    RuleConfig rule = asked == null ? null : snap.rule(asked.rule());
    CorsPolicy cors = rule == null ? null : snap.cors(rule.id());
    if (cors == null) {
      return false;
    }
    record.route = rule.id();
    record.corsPreflight(PreflightResponder.answer(req, cors, rule.response(), record.requestId));
    return true;
  }

  /** The end of the security stage: 401 (with a challenge), 403 or 503, or the identity noted. */
  private static boolean authenticated(
      HttpServerRequest req, AuthOutcome outcome, RequestRecord record) {
    if (outcome.admitted()) {
      record.identity = outcome.identity();
      return true;
    }
    ProblemType type =
        switch (outcome.status()) {
          case 401 -> ProblemType.UNAUTHENTICATED;
          case 403 -> ProblemType.FORBIDDEN;
          default -> ProblemType.AUTHENTICATION_UNAVAILABLE;
        };
    Problems.send(
        req,
        type,
        outcome.detail(),
        record.requestId,
        headers -> {
          if (outcome.challenge() != null) {
            headers.set("www-authenticate", outcome.challenge());
          }
        });
    return false;
  }

  /** Rate limits, then the action. */
  private void limitAndAct(
      HttpServerRequest req,
      LoadedSnapshot snap,
      RuleConfig rule,
      RouteMatch match,
      NormalizedPath path,
      ServerRequestView view,
      ForwardedHeaders forwarded,
      RequestRecord record,
      RuleLimits limits) {
    if (limits != null) {
      Future<RateLimitDecision> decided =
          limits.decide(view, req.headers(), record.clientAddress, record.identity);
      if (!decided.isComplete()) {
        // Global limits: Redis answers later.
        ForwardedHeaders clientHeaders = forwarded;
        whenDone(
            req,
            decided,
            decision ->
                decidedLater(req, snap, decision, rule, match, path, clientHeaders, record));
        return;
      }
      if (!admitted(req, snap, decided.result(), record)) {
        return;
      }
    }
    act(req, snap, rule, match, path, forwarded, record);
  }

  /** The rest of the request once Redis answered, back on the request's event loop. */
  private void decidedLater(
      HttpServerRequest req,
      LoadedSnapshot snap,
      RateLimitDecision decision,
      RuleConfig rule,
      RouteMatch match,
      NormalizedPath path,
      ForwardedHeaders forwarded,
      RequestRecord record) {
    boolean admitted = admitted(req, snap, decision, record);
    if (admitted) {
      act(req, snap, rule, match, path, forwarded, record);
    }
    if (!admitted || !forwardsBody(rule.action())) {
      req.resume(); // the body is not wanted: let it drain (proxy and compose resume it themselves)
    }
  }

  /** Proxy and compose send the request on (and resume its body themselves); the rest answer. */
  private static boolean forwardsBody(ActionConfig action) {
    return action.redirect() == null && action.directResponse() == null;
  }

  /**
   * Pauses the request (no body byte is read meanwhile) until {@code pending} completes, then runs
   * {@code next} on the request's event loop, unless the client left in between. {@code pending}
   * never fails: stages answer failures with decisions.
   */
  private static <T> void whenDone(HttpServerRequest req, Future<T> pending, Consumer<T> next) {
    req.pause();
    Context context = Vertx.currentContext();
    pending.onComplete(
        ar ->
            onContext(
                context,
                () -> {
                  if (!req.response().closed()) {
                    next.accept(ar.result());
                  }
                }));
  }

  /** Runs {@code task} on {@code context}, at once when this is already its thread. */
  private static void onContext(Context context, Runnable task) {
    if (context == null || Vertx.currentContext() == context) {
      task.run();
    } else {
      context.runOnContext(v -> task.run());
    }
  }

  /** The rule's action, once every policy admitted the request. */
  private void act(
      HttpServerRequest req,
      LoadedSnapshot snap,
      RuleConfig rule,
      RouteMatch match,
      NormalizedPath path,
      ForwardedHeaders forwarded,
      RequestRecord record) {
    ActionConfig action = rule.action();
    if (action.redirect() != null) {
      String location =
          RedirectFilter.location(action.redirect(), scheme(req), hostName(req), port, match, path);
      HeaderEditFilter.apply(rule.response(), req.response().headers());
      req.response().putHeader(RequestIds.HEADER, record.requestId);
      RedirectFilter.send(req.response(), action.redirect(), location);
    } else if (action.directResponse() != null) {
      HeaderEditFilter.apply(rule.response(), req.response().headers());
      req.response().putHeader(RequestIds.HEADER, record.requestId);
      DirectResponseFilter.send(req.response(), action.directResponse());
    } else if (action.compose() != null) {
      compose(req, snap, rule, match, path, forwarded, record);
    } else {
      proxy(req, snap, rule, match, path, forwarded, record);
    }
  }

  /**
   * The end of the rate-limit stage. Refused requests get 429, or 503 when a limit that fails
   * closed cannot reach its store; every response of the rule carries the DataPlane's rate-limit
   * fields.
   */
  private static boolean admitted(
      HttpServerRequest req,
      LoadedSnapshot snap,
      RateLimitDecision decision,
      RequestRecord record) {
    RateLimitFields fields = snap.rateLimitFields();
    if (!decision.allowed()) {
      boolean unavailable = decision.storeUnavailable();
      Problems.send(
          req,
          unavailable ? ProblemType.RATE_LIMIT_UNAVAILABLE : ProblemType.TOO_MANY_REQUESTS,
          "rate limit "
              + decision.limit().limitName()
              + (unavailable
                  ? " cannot be checked and refuses requests until it can"
                  : " is exhausted")
              + "; retry after "
              + decision.retryAfterSeconds()
              + " s",
          record.requestId,
          headers -> fields.apply(headers, decision));
      return false;
    }
    fields.apply(req.response().headers(), decision);
    return true;
  }

  private void proxy(
      HttpServerRequest req,
      LoadedSnapshot snap,
      RuleConfig rule,
      RouteMatch match,
      NormalizedPath path,
      ForwardedHeaders forwarded,
      RequestRecord record) {
    RuleBackends backends = snap.backends(rule.id());
    // Paused now, before anything asynchronous, so no body byte is lost or read too early.
    req.pause();
    ProxyRequest pr =
        upstream.build(
            req,
            snap.proxy(),
            backends,
            match,
            path,
            forwarded,
            record.requestId,
            record.security,
            record.identity,
            record.cors);
    ProxyExchange exchange = ProxyExchange.of(vertx, client, pr, record);
    req.response()
        .endHandler(
            v -> {
              exchange.responseEnded();
              record.done();
            });
    req.response()
        .closeHandler(
            v -> {
              exchange.clientClosed();
              record.done();
            });
    exchange.start();
  }

  /** The compose action: part requests merged into one JSON response (docs/composition.md). */
  private void compose(
      HttpServerRequest req,
      LoadedSnapshot snap,
      RuleConfig rule,
      RouteMatch match,
      NormalizedPath path,
      ForwardedHeaders forwarded,
      RequestRecord record) {
    req.pause(); // before anything asynchronous, so no body byte is lost
    ComposeExchange exchange =
        new ComposeExchange(
            vertx,
            client,
            snap.composePlan(rule.id()),
            req,
            match,
            path,
            forwarded,
            record.requestId,
            snap.proxy(),
            record,
            UpstreamRequestBuilder.hasBody(req),
            record.security == null
                ? SecurityPlan.IDENTITY_HEADERS
                : record.security.stripHeaders(),
            record.identity);
    req.response()
        .closeHandler(
            v -> {
              exchange.clientClosed();
              record.done();
            });
    exchange.start();
  }

  /**
   * Absolute-form ({@code http://host/path}) was checked against Host by the guard; keep the path.
   */
  static String originForm(String uri) {
    if (uri.startsWith("/")) {
      return uri;
    }
    int scheme = uri.indexOf("://");
    if (scheme < 0) {
      return uri;
    }
    int slash = uri.indexOf('/', scheme + 3);
    if (slash >= 0) {
      return uri.substring(slash);
    }
    int query = uri.indexOf('?', scheme + 3);
    return query < 0 ? "/" : "/" + uri.substring(query);
  }

  /** The Host header as received, or the HTTP/2 :authority. */
  private static String host(HttpServerRequest req) {
    String host = req.getHeader("host");
    if (host != null) {
      return host;
    }
    HostAndPort authority = req.authority();
    return authority == null ? null : authority.toString();
  }

  private static String hostName(HttpServerRequest req) {
    HostAndPort authority = req.authority();
    return authority == null ? "localhost" : authority.host();
  }

  /**
   * The scheme of our listener, from the connection: an HTTP/2 client chooses {@code :scheme}
   * itself, and h2c with {@code :scheme https} must not pass for TLS.
   */
  private static String scheme(HttpServerRequest req) {
    return req.isSSL() ? "https" : "http";
  }
}
