package dev.portico.dataplane.upstream;

/**
 * The fallback ladder shared by every {@link LoadBalancer}: the balancer's own choice among
 * preferred endpoints, then among healthy ones, then among all (panic mode).
 */
abstract class AbstractBalancer implements LoadBalancer {
  final EndpointSet set;

  AbstractBalancer(EndpointSet set) {
    this.set = set;
  }

  @Override
  public final Endpoint pick(String hashKey, Endpoint avoid) {
    EndpointSet.View view = set.view();
    Endpoint[] endpoints = view.endpoints;
    if (endpoints.length <= 1) {
      // Nothing to choose: even ejected or avoided, the only endpoint is the panic-mode answer.
      return endpoints.length == 0 ? null : endpoints[0];
    }
    long now = set.nanoTime();
    Endpoint chosen = choose(view, hashKey, avoid, now, Eligibility.PREFERRED);
    if (chosen == null) {
      chosen = scan(view, hashKey, avoid, now, Eligibility.PREFERRED);
    }
    if (chosen == null && avoid != null) {
      chosen = choose(view, hashKey, avoid, now, Eligibility.HEALTHY);
      if (chosen == null) {
        chosen = scan(view, hashKey, avoid, now, Eligibility.HEALTHY);
      }
    }
    return chosen != null ? chosen : choose(view, hashKey, avoid, now, Eligibility.ANY);
  }

  @Override
  public EndpointSet endpoints() {
    return set;
  }

  /**
   * The balancer's own choice, with effort bounded by the set's size or less.
   *
   * @return an endpoint the eligibility admits, or null when the tries found none; never null for
   *     {@link Eligibility#ANY}
   */
  abstract Endpoint choose(
      EndpointSet.View view, String hashKey, Endpoint avoid, long now, Eligibility eligibility);

  /** Where the exhaustive walk starts when {@link #choose} gave up. */
  abstract int scanStart(EndpointSet.View view, String hashKey);

  /** Exhaustive: the first admitted endpoint from the start, wrapping around; null if none is. */
  private Endpoint scan(
      EndpointSet.View view, String hashKey, Endpoint avoid, long now, Eligibility eligibility) {
    Endpoint[] endpoints = view.endpoints;
    int n = endpoints.length;
    int start = scanStart(view, hashKey);
    for (int i = 0; i < n; i++) {
      Endpoint candidate = endpoints[(start + i) % n];
      if (eligibility.admits(candidate, avoid, now)) {
        return candidate;
      }
    }
    return null;
  }
}
