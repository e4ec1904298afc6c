package dev.portico.dataplane.upstream;

/**
 * Picks the endpoint of one attempt, after {@link BackendPicker} chose the backend and before the
 * proxy takes a pooled connection to it.
 *
 * <p>Every balancer skips ejected endpoints. When every endpoint is ejected it does not fail: it
 * picks among all of them as if none were (Envoy's "panic mode"), because a backend that outlier
 * detection has given up on entirely is more likely to be partly up than fully down, and a gateway
 * that answers 503 on its own guess turns a partial outage into a total one.
 *
 * <p>Implementations are safe to call from every event loop at once, take no locks and allocate
 * nothing per pick. They read the current list of their {@link EndpointSet} on every pick, so they
 * need no rebuilding when discovery updates it; only a new snapshot replaces them.
 */
public interface LoadBalancer {
  /**
   * The endpoint for one attempt.
   *
   * @param hashKey the consistent-hash key (header value, cookie value or client address), or null
   *     when the balancer does not hash or the request has no key; ignored by other balancers
   * @param avoid an endpoint to stay away from if any other is usable, typically the one a retry
   *     follows; null for none
   * @return null only when the set has no endpoints: the caller answers 503
   */
  Endpoint pick(String hashKey, Endpoint avoid);

  default Endpoint pick(String hashKey) {
    return pick(hashKey, null);
  }

  /** The set this balancer picks from. */
  EndpointSet endpoints();
}
