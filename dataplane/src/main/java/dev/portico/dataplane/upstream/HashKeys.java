package dev.portico.dataplane.upstream;

import dev.portico.snapshot.LoadBalancerConfig;
import io.vertx.core.http.HttpServerRequest;

/** What a ConsistentHash balancer hashes for one request: a header, a cookie or the client. */
public final class HashKeys {
  private HashKeys() {}

  /**
   * The request's hash key, or null when the rule does not hash (or the request lacks the value).
   *
   * @param clientAddress the client after trusted-hop handling
   */
  public static String of(LoadBalancerConfig lb, HttpServerRequest req, String clientAddress) {
    if (lb == null || !"ConsistentHash".equals(lb.type())) {
      return null;
    }
    if (lb.hashHeader() != null) {
      return req.getHeader(lb.hashHeader());
    }
    if (lb.hashCookie() != null) {
      var cookie = req.getCookie(lb.hashCookie());
      return cookie == null ? null : cookie.getValue();
    }
    return Boolean.TRUE.equals(lb.hashClientAddress()) ? clientAddress : null;
  }
}
