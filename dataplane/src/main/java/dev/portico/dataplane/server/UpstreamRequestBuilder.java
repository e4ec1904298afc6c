package dev.portico.dataplane.server;

import dev.portico.dataplane.auth.Identity;
import dev.portico.dataplane.auth.IdentityHeaders;
import dev.portico.dataplane.auth.QueryStrings;
import dev.portico.dataplane.auth.SecurityPlan;
import dev.portico.dataplane.cors.CorsResponse;
import dev.portico.dataplane.filter.HeaderEditFilter;
import dev.portico.dataplane.filter.UrlRewriteFilter;
import dev.portico.dataplane.proxy.ForwardedHeaders;
import dev.portico.dataplane.proxy.HopByHopHeaders;
import dev.portico.dataplane.proxy.ProxyRequest;
import dev.portico.dataplane.proxy.RequestIds;
import dev.portico.dataplane.proxy.RuleBackends;
import dev.portico.dataplane.routing.NormalizedPath;
import dev.portico.dataplane.routing.RouteMatch;
import dev.portico.dataplane.upstream.HashKeys;
import dev.portico.snapshot.ProxySettingsConfig;
import dev.portico.snapshot.RequestEdits;
import dev.portico.snapshot.RuleConfig;
import dev.portico.snapshot.TimeoutsConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a routed request into what the proxy stage sends: headers without hop-by-hop fields, proxy
 * headers, request id and the rule's request edits (in that order, so a rule can override a proxy
 * header), the rewritten URI and Host, timeouts and the consistent-hash key.
 */
final class UpstreamRequestBuilder {
  /** Set by this class, never copied from the client. */
  private static final Set<String> OWNED;

  static {
    Set<String> owned = new HashSet<>(ForwardedHeaders.NAMES);
    owned.add("host");
    owned.add(RequestIds.HEADER);
    // 100-continue is answered by our own server; the backend gets the body directly.
    owned.add("expect");
    // Only the gateway says who called (auth.IdentityHeaders), on every route.
    owned.addAll(SecurityPlan.IDENTITY_HEADERS);
    OWNED = HopByHopHeaders.names(owned.toArray(String[]::new));
  }

  ProxyRequest build(
      HttpServerRequest req,
      ProxySettingsConfig proxy,
      RuleBackends backends,
      RouteMatch match,
      NormalizedPath path,
      ForwardedHeaders forwarded,
      String requestId,
      SecurityPlan security,
      Identity identity,
      CorsResponse cors) {
    RuleConfig rule = backends.rule();
    RequestEdits edits = rule.request();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    HopByHopHeaders.copy(req.headers(), headers, OWNED);
    forwarded.writeTo(headers);
    headers.set(RequestIds.HEADER, requestId);
    if (security != null) {
      IdentityHeaders.apply(headers, security.stripHeaders(), identity);
    }
    boolean webSocket = isWebSocketUpgrade(req);
    if (webSocket) {
      headers.set("connection", "Upgrade");
      headers.set("upgrade", "websocket");
    }
    if (edits != null) {
      HeaderEditFilter.apply(edits.headers(), headers);
    }
    String uri = UrlRewriteFilter.rewrite(edits == null ? null : edits.path(), match, path);
    String query =
        security == null
            ? path.rawQuery()
            : QueryStrings.without(path.rawQuery(), security.stripQuery());
    if (query != null) {
      uri = uri + "?" + query;
    }
    HostAndPort authority = null;
    if (edits != null && edits.hostname() != null) {
      authority = HostAndPort.create(edits.hostname(), -1);
    } else if (proxy.preserveHost()) {
      authority = req.authority();
    }
    TimeoutsConfig t = rule.timeouts();
    return new ProxyRequest(
        req,
        requestId,
        backends,
        uri,
        authority,
        headers,
        hasBody(req),
        HashKeys.of(rule.loadBalancer(), req, forwarded.clientAddress()),
        t != null && t.connectMillis() != null ? t.connectMillis() : proxy.connectTimeoutMillis(),
        t != null && t.requestMillis() != null ? t.requestMillis() : 0,
        t != null && t.backendRequestMillis() != null
            ? t.backendRequestMillis()
            : proxy.backendRequestTimeoutMillis(),
        proxy.idleTimeoutMillis(),
        proxy.maxBodyBytes(),
        rule.response(),
        cors,
        webSocket);
  }

  /** HTTP/1 framing says whether a body follows; HTTP/2 says so by not ending the stream yet. */
  static boolean hasBody(HttpServerRequest req) {
    if (req.version() == HttpVersion.HTTP_2) {
      return !req.isEnded();
    }
    if (req.headers().contains("transfer-encoding")) {
      return true;
    }
    return RequestGuard.contentLength(req.headers()) > 0;
  }

  static boolean isWebSocketUpgrade(HttpServerRequest req) {
    if (req.version() != HttpVersion.HTTP_1_1) {
      return false;
    }
    String upgrade = req.getHeader("upgrade");
    String connection = req.getHeader("connection");
    return upgrade != null
        && upgrade.equalsIgnoreCase("websocket")
        && connection != null
        && connection.toLowerCase(Locale.ROOT).contains("upgrade");
  }
}
