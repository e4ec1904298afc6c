package dev.portico.dataplane.upstream;

import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * {@link LoadBalancer} that sends an attempt to the less busy of two random endpoints (power of two
 * choices), for backends whose requests vary widely in cost.
 *
 * <p>Why two random choices and not the global minimum: the minimum needs a walk over the whole set
 * per request, and every replica (and every event loop) would pile onto the same momentarily idle
 * endpoint. Two choices cost two reads and already cut the maximum load exponentially compared with
 * one random choice (Mitzenmacher, 2001). Load is this replica's own count of in-flight attempts
 * per endpoint.
 */
final class LeastRequestBalancer extends AbstractBalancer {
  /** Draws per candidate before giving up on a set that is mostly ejected. */
  private static final int DRAWS = 4;

  private final Supplier<RandomGenerator> random;

  LeastRequestBalancer(EndpointSet set, Supplier<RandomGenerator> random) {
    super(set);
    this.random = random;
  }

  @Override
  Endpoint choose(
      EndpointSet.View view, String hashKey, Endpoint avoid, long now, Eligibility eligibility) {
    Endpoint[] endpoints = view.endpoints;
    RandomGenerator rnd = random.get();
    int first = draw(endpoints, -1, rnd, avoid, now, eligibility);
    if (first < 0) {
      return null;
    }
    int second = draw(endpoints, first, rnd, avoid, now, eligibility);
    if (second < 0) {
      return endpoints[first];
    }
    Endpoint a = endpoints[first];
    Endpoint b = endpoints[second];
    return b.activeRequests() < a.activeRequests() ? b : a;
  }

  /** A random admitted index other than {@code other}, or -1 after {@link #DRAWS} misses. */
  private static int draw(
      Endpoint[] endpoints,
      int other,
      RandomGenerator rnd,
      Endpoint avoid,
      long now,
      Eligibility eligibility) {
    int n = endpoints.length;
    for (int i = 0; i < DRAWS; i++) {
      // Offsetting from `other` by 1..n-1 keeps the two choices distinct without a retry loop.
      int candidate = other < 0 ? rnd.nextInt(n) : (other + 1 + rnd.nextInt(n - 1)) % n;
      if (eligibility.admits(endpoints[candidate], avoid, now)) {
        return candidate;
      }
    }
    return -1;
  }

  @Override
  int scanStart(EndpointSet.View view, String hashKey) {
    return random.get().nextInt(view.endpoints.length);
  }
}
