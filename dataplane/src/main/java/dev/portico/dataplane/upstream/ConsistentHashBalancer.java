package dev.portico.dataplane.upstream;

import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * {@link LoadBalancer} that sends every request with the same key (header value, cookie value or
 * client address) to the same endpoint, for session affinity and cache locality; a Maglev table
 * keeps remapping small when endpoints come and go.
 *
 * <p>An ejected or avoided home endpoint sends its keys to the endpoints of the next slots of the
 * table. Those are spread over the whole set, so the displaced keys spread too, and every other key
 * stays where it was. A request without a key gets a random endpoint.
 *
 * <p>The table belongs to the set's current list, built at most once per list and, after the first
 * use, by discovery before it publishes a new list (see {@link EndpointSet#update}).
 */
final class ConsistentHashBalancer extends AbstractBalancer {
  /** Table slots tried after the home slot before walking the endpoint list instead. */
  private static final int PROBES = 32;

  private final Supplier<RandomGenerator> random;

  ConsistentHashBalancer(EndpointSet set, Supplier<RandomGenerator> random) {
    super(set);
    this.random = random;
  }

  @Override
  Endpoint choose(
      EndpointSet.View view, String hashKey, Endpoint avoid, long now, Eligibility eligibility) {
    Endpoint[] endpoints = view.endpoints;
    if (hashKey == null) {
      Endpoint candidate = endpoints[random.get().nextInt(endpoints.length)];
      return eligibility.admits(candidate, avoid, now) ? candidate : null;
    }
    MaglevTable table = view.maglevTable();
    int home = table.slotOf(KeyHash.hash(hashKey));
    for (int probe = 0; probe <= PROBES; probe++) {
      Endpoint candidate = endpoints[table.endpointAt(home + probe)];
      if (eligibility.admits(candidate, avoid, now)) {
        return candidate;
      }
    }
    return null;
  }

  @Override
  int scanStart(EndpointSet.View view, String hashKey) {
    int n = view.endpoints.length;
    // Keyed walks start at a key-derived place, so a key keeps its fallback endpoint too.
    return hashKey == null
        ? random.get().nextInt(n)
        : (int) Long.remainderUnsigned(KeyHash.hash(hashKey), n);
  }
}
