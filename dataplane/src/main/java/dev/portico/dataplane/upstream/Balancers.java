package dev.portico.dataplane.upstream;

import dev.portico.snapshot.LoadBalancerConfig;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Builds the {@link LoadBalancer} of a rule's backend when a snapshot is loaded: one per (rule,
 * backend), reading the backend's long-lived {@link EndpointSet}.
 */
public final class Balancers {
  private Balancers() {}

  /**
   * @param config the rule's load balancing, or null for round robin
   * @throws IllegalArgumentException for a type this data plane does not know
   */
  public static LoadBalancer create(LoadBalancerConfig config, EndpointSet set) {
    return create(config, set, ThreadLocalRandom::current);
  }

  /**
   * @param random source of randomness, asked once per pick on the picking thread; tests pass a
   *     seeded generator
   */
  public static LoadBalancer create(
      LoadBalancerConfig config, EndpointSet set, Supplier<RandomGenerator> random) {
    String type = config == null || config.type() == null ? "RoundRobin" : config.type();
    switch (type) {
      case "RoundRobin":
        return new RoundRobinBalancer(set, random.get().nextInt());
      case "LeastRequest":
        return new LeastRequestBalancer(set, random);
      case "ConsistentHash":
        // Built now, while a snapshot loads, so that the first keyed request does not pay for it;
        // from then on the set rebuilds the table itself whenever discovery changes it.
        set.view().maglevTable();
        return new ConsistentHashBalancer(set, random);
      default:
        throw new IllegalArgumentException("unknown load balancer type: " + type);
    }
  }
}
