package dev.portico.dataplane.upstream;

import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link LoadBalancer} that hands endpoints out in turn: the default for a rule's backend.
 *
 * <p>One counter shared by all event loops, so the rotation is even across the replica rather than
 * per loop. A skipped endpoint consumes its turn, so the endpoints left share its traffic evenly
 * instead of its successor taking all of it. The counter starts at a random position so that
 * replicas started together do not all send their first requests to the same endpoint.
 */
final class RoundRobinBalancer extends AbstractBalancer {
  private final AtomicLong next;

  /**
   * @param start the first turn; negative values are folded into range
   */
  RoundRobinBalancer(EndpointSet set, int start) {
    super(set);
    this.next = new AtomicLong(start & Integer.MAX_VALUE);
  }

  @Override
  Endpoint choose(
      EndpointSet.View view, String hashKey, Endpoint avoid, long now, Eligibility eligibility) {
    Endpoint[] endpoints = view.endpoints;
    int n = endpoints.length;
    for (int tries = 0; tries < n; tries++) {
      Endpoint candidate = endpoints[(int) (next.getAndIncrement() % n)];
      if (eligibility.admits(candidate, avoid, now)) {
        return candidate;
      }
    }
    return null;
  }

  @Override
  int scanStart(EndpointSet.View view, String hashKey) {
    return (int) (next.get() % view.endpoints.length);
  }
}
