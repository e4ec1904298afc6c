package dev.portico.dataplane.upstream;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The current endpoints of one backend (a Service port), which its {@link LoadBalancer}s pick from:
 * discovery replaces the list, picks read it lock-free.
 *
 * <p>Copy-on-write: {@link #update} publishes a new immutable array with one atomic swap, so a pick
 * costs one volatile read and in-flight requests keep the {@link Endpoint} they were given. An
 * address that survives an update keeps its Endpoint object, and with it its active-request count
 * and outlier state; a removed address's Endpoint is dropped from the set but stays valid for
 * whoever still holds it.
 *
 * <p>Endpoints are kept sorted by address, so every replica that sees the same addresses builds the
 * same consistent-hash table and sends a key to the same endpoint.
 */
public final class EndpointSet {
  private final String name;
  private final OutlierDetector outliers;
  // Each set starts with its own empty view: the view records whether a consistent-hash balancer
  // wants tables, so sharing one would make every set build them.
  private final AtomicReference<View> view =
      new AtomicReference<>(new View(new Endpoint[0], Map.of(), 0));

  /** Held while an ejection is decided, so concurrent failures cannot overshoot the max percent. */
  private final AtomicBoolean ejecting = new AtomicBoolean();

  /**
   * @param name for logs and metrics, e.g. {@code namespace/service:port}
   */
  public EndpointSet(String name, OutlierDetector outliers) {
    this.name = name;
    this.outliers = outliers;
  }

  public EndpointSet(String name) {
    this(name, OutlierDetector.defaults());
  }

  public String name() {
    return name;
  }

  public OutlierDetector outliers() {
    return outliers;
  }

  /**
   * Replaces the addresses. Duplicates collapse; order does not matter. Called by discovery, off
   * the request path: when a consistent-hash balancer has used this set, the new lookup table is
   * built here, before the swap, so no request pays for it.
   *
   * <p>Safe from any thread, concurrently with picks on the event loops: cluster discovery calls it
   * on Fabric8 informer threads. The new view is built privately and published with one
   * compare-and-set (which also orders the writes of the Endpoints it creates before any pick that
   * reads them); a lost race rebuilds from the winner's view, so endpoints that survive keep their
   * state. Each call is atomic, but two concurrent callers with different lists end with either
   * one: a caller that needs the latest list to win orders its own calls (discovery does, per
   * Service).
   *
   * @return false when the addresses were already the current ones (a resync), which keeps the
   *     version and every derived table
   */
  public boolean update(Collection<Address> addresses) {
    Address[] sorted = new TreeSet<>(addresses).toArray(new Address[0]);
    while (true) {
      View old = view.get();
      if (old.sameAddresses(sorted)) {
        return false;
      }
      Endpoint[] endpoints = new Endpoint[sorted.length];
      Map<Address, Endpoint> byAddress = new HashMap<>();
      for (int i = 0; i < sorted.length; i++) {
        Endpoint kept = old.byAddress.get(sorted[i]);
        endpoints[i] = kept != null ? kept : new Endpoint(sorted[i]);
        byAddress.put(sorted[i], endpoints[i]);
      }
      View next = new View(endpoints, byAddress, old.version + 1);
      if (old.hasMaglevTable()) {
        next.maglevTable();
      }
      if (view.compareAndSet(old, next)) {
        return true;
      }
    }
  }

  /** The current endpoints, sorted by address; a copy, for admin views and tests, not for picks. */
  public List<Endpoint> endpoints() {
    return List.of(view.get().endpoints);
  }

  public int size() {
    return view.get().endpoints.length;
  }

  /** Increases with every update that changed the addresses. */
  public long version() {
    return view.get().version;
  }

  /** The current endpoint at an address, or null. */
  public Endpoint find(Address address) {
    return view.get().byAddress.get(address);
  }

  /** An attempt to {@code endpoint} got a response that is not a gateway failure. */
  public void recordSuccess(Endpoint endpoint) {
    outliers.recordSuccess(endpoint);
  }

  /**
   * An attempt to {@code endpoint} failed.
   *
   * @return true when this failure ejected the endpoint
   */
  public boolean recordFailure(Endpoint endpoint, AttemptFailure failure) {
    return outliers.recordFailure(this, endpoint, failure);
  }

  View view() {
    return view.get();
  }

  long nanoTime() {
    return outliers.nanoTime();
  }

  AtomicBoolean ejectionGuard() {
    return ejecting;
  }

  @Override
  public String toString() {
    return name + Arrays.toString(view.get().endpoints);
  }

  /** One published state of the set: never modified, so readers need no lock. */
  static final class View {
    final Endpoint[] endpoints;
    final Map<Address, Endpoint> byAddress;
    final long version;

    // Built at most a few times per view (a race builds identical tables; either may win), and
    // only for sets that a consistent-hash balancer reads.
    private volatile MaglevTable maglev;

    View(Endpoint[] endpoints, Map<Address, Endpoint> byAddress, long version) {
      this.endpoints = endpoints;
      this.byAddress = byAddress;
      this.version = version;
    }

    MaglevTable maglevTable() {
      MaglevTable table = maglev;
      if (table == null) {
        table = MaglevTable.build(endpoints);
        maglev = table;
      }
      return table;
    }

    boolean hasMaglevTable() {
      return maglev != null;
    }

    boolean sameAddresses(Address[] sorted) {
      if (sorted.length != endpoints.length) {
        return false;
      }
      for (int i = 0; i < sorted.length; i++) {
        if (!sorted[i].equals(endpoints[i].address())) {
          return false;
        }
      }
      return true;
    }
  }
}
