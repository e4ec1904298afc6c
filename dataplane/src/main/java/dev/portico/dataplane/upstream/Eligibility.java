package dev.portico.dataplane.upstream;

/** How picky a {@link LoadBalancer} is on one pass; it relaxes them in order until one succeeds. */
enum Eligibility {
  /** Not ejected and not the endpoint to avoid. */
  PREFERRED,
  /** Not ejected; the endpoint to avoid is acceptable when it is the only one left. */
  HEALTHY,
  /** Anything: panic mode. */
  ANY;

  boolean admits(Endpoint endpoint, Endpoint avoid, long nowNanos) {
    switch (this) {
      case PREFERRED:
        return endpoint != avoid && !endpoint.isEjected(nowNanos);
      case HEALTHY:
        return !endpoint.isEjected(nowNanos);
      default:
        return true;
    }
  }
}
