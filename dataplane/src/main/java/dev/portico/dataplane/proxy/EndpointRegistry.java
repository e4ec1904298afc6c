package dev.portico.dataplane.proxy;

import dev.portico.dataplane.upstream.Address;
import dev.portico.dataplane.upstream.EndpointSet;
import dev.portico.dataplane.upstream.OutlierDetector;
import dev.portico.dataplane.upstream.RetryBudget;
import dev.portico.snapshot.BackendConfig;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The long-lived upstream state that snapshot swaps must not reset: one {@link EndpointSet} per
 * backend (Service port), fed by discovery (static files in standalone mode), and one {@link
 * RetryBudget} per rule id. Snapshots look these up by stable key when they load.
 */
public final class EndpointRegistry {
  private final ConcurrentHashMap<String, EndpointSet> sets = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, RetryBudget> budgets = new ConcurrentHashMap<>();
  private final OutlierDetector outliers;

  public EndpointRegistry(OutlierDetector outliers) {
    this.outliers = outliers;
  }

  public EndpointRegistry() {
    this(OutlierDetector.defaults());
  }

  /** {@code namespace/service:port}: the identity of a backend's endpoints and pools. */
  public static String key(BackendConfig backend) {
    return backend.service() + ":" + backend.port();
  }

  public EndpointSet set(String key) {
    return sets.computeIfAbsent(key, k -> new EndpointSet(k, outliers));
  }

  /**
   * Replaces a backend's addresses; in-flight requests keep the endpoint they hold. Safe from any
   * thread (see {@link EndpointSet#update}).
   *
   * @return false when the addresses were already the current ones
   */
  public boolean update(String key, Collection<Address> addresses) {
    return set(key).update(addresses);
  }

  public RetryBudget budget(String ruleId) {
    return budgets.computeIfAbsent(ruleId, id -> new RetryBudget());
  }
}
