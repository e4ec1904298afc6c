package dev.portico.dataplane.upstream;

import dev.portico.snapshot.BackendConfig;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Chooses which of a rule's backends (Service ports) serves a request, by weight, before that
 * backend's {@link LoadBalancer} picks an endpoint: built once per rule when a snapshot is loaded.
 *
 * <p>Why a random draw over cumulative weights and not smooth weighted round robin (nginx): the
 * round robin needs per-rule state updated on every request, which across event loops means a lock
 * or a CAS loop over the whole weight vector; a draw reads an immutable array and a thread-local
 * generator, with no shared writes. Its shares converge to the weights within a fraction of a
 * percent over thousands of requests, and its short-run unevenness (a 1% canary may see 0 or 3 of
 * its first 100) is the same kind every replica already adds by seeing only part of the traffic.
 *
 * <p>A backend of weight 0 is never chosen; negative weights count as 0.
 */
public final class BackendPicker {
  private final List<BackendConfig> backends;

  /** {@code cumulative[i]}: the sum of the weights of backends 0..i. */
  private final long[] cumulative;

  private final long total;

  /** The index when exactly one backend has a weight: no draw needed. */
  private final int only;

  private final Supplier<RandomGenerator> random;

  private BackendPicker(List<BackendConfig> backends, Supplier<RandomGenerator> random) {
    this.backends = List.copyOf(backends);
    this.cumulative = new long[this.backends.size()];
    long sum = 0;
    int weighted = 0;
    int last = -1;
    for (int i = 0; i < cumulative.length; i++) {
      int weight = Math.max(0, this.backends.get(i).weight());
      if (weight > 0) {
        weighted++;
        last = i;
      }
      sum += weight;
      cumulative[i] = sum;
    }
    this.total = sum;
    this.only = weighted == 1 ? last : -1;
    this.random = random;
  }

  public static BackendPicker of(List<BackendConfig> backends) {
    return of(backends, ThreadLocalRandom::current);
  }

  /**
   * @param random asked once per pick, on the picking thread; tests pass a seeded generator
   */
  public static BackendPicker of(List<BackendConfig> backends, Supplier<RandomGenerator> random) {
    return new BackendPicker(backends, random);
  }

  /**
   * The index of the chosen backend in the rule's list, or -1 when no backend has a weight (the
   * caller answers 503, as for a rule whose backends all failed to resolve).
   */
  public int pickIndex() {
    if (only >= 0 || total == 0) {
      return only;
    }
    long r = random.get().nextLong(total);
    // The first backend whose cumulative weight exceeds r. A weight-0 backend repeats its
    // predecessor's sum, so it is never the first to exceed anything.
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > r) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** The chosen backend, or null when no backend has a weight. */
  public BackendConfig pick() {
    int i = pickIndex();
    return i < 0 ? null : backends.get(i);
  }

  public List<BackendConfig> backends() {
    return backends;
  }
}
