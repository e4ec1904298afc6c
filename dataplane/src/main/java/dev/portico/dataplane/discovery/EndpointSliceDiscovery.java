package dev.portico.dataplane.discovery;

import dev.portico.dataplane.proxy.EndpointRegistry;
import dev.portico.dataplane.upstream.Address;
import dev.portico.snapshot.BackendConfig;
import dev.portico.snapshot.RuleConfig;
import dev.portico.snapshot.Snapshot;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode's endpoint discovery, between the snapshot intake and the upstream pools: watches
 * the EndpointSlices of exactly the Services the latest snapshot names and keeps the {@link
 * EndpointRegistry} current, in place, without a recompile.
 *
 * <p>Call {@link #watch} with each new snapshot before swapping it in: its future completes once
 * every Service the snapshot names has synced and its addresses are in the registry, so new routes
 * start with endpoints instead of a burst of 503s. Callers should bound the wait: a Service whose
 * slices cannot be listed (RBAC, API server down) is retried forever and keeps the future pending.
 */
public final class EndpointSliceDiscovery implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointSliceDiscovery.class);

  private final KubernetesClient client;
  private final EndpointRegistry registry;

  /**
   * The latest snapshot's backends by Service, replaced whole: informer threads read it while the
   * discovery thread swaps in the next one.
   */
  private final AtomicReference<Map<String, List<BackendConfig>>> backends =
      new AtomicReference<>(Map.of());

  /** Written on the discovery thread only; concurrent so tests and metrics can read its size. */
  private final Map<String, ServiceWatch> watches = new ConcurrentHashMap<>();

  /**
   * Serializes watch() calls in arrival order and keeps informer start/stop and the re-publishing
   * of already-watched Services off the caller's thread, which may be an event loop.
   */
  private final ExecutorService discoveryThread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "portico-discovery");
            t.setDaemon(true);
            return t;
          });

  private final AtomicBoolean closed = new AtomicBoolean();

  public EndpointSliceDiscovery(KubernetesClient client, EndpointRegistry registry) {
    this.client = client;
    this.registry = registry;
  }

  /**
   * Watches the Services {@code snapshot} names and stops watching the ones it no longer names.
   * Returns at once.
   *
   * @return completes when every named Service has synced and its addresses are in the registry;
   *     completes exceptionally when discovery closes first or a later {@code watch} drops one of
   *     its Services before it synced
   */
  public CompletableFuture<Void> watch(Snapshot snapshot) {
    Watched last = watched;
    Map<String, List<BackendConfig>> next =
        last == null
            ? ServiceBackends.of(snapshot)
            : ServiceBackends.of(snapshot, last.rules, last.backends);
    if (last != null
        && last.allStarted
        && !last.ready.isCompletedExceptionally()
        && last.backends.equals(next)
        && !closed.get()) {
      last.rules = snapshot.rules();
      // The same Services and ports as the snapshot before (most new routes among thousands name
      // a Service already there), all watched: nothing to start or re-publish, and no trip to the
      // discovery thread on the way to serving the route.
      return last.ready;
    }
    Watched current = new Watched(next, snapshot.rules());
    try {
      current.ready =
          CompletableFuture.supplyAsync(() -> apply(current), discoveryThread).thenCompose(r -> r);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new IllegalStateException("discovery is closed", e));
    }
    watched = current;
    return current.ready;
  }

  /** What a {@link #watch} asked for, whether every Service of it got an informer, and when. */
  private static final class Watched {
    final Map<String, List<BackendConfig>> backends;

    /** The rules of the latest snapshot these backends are those of. */
    volatile List<RuleConfig> rules;

    volatile CompletableFuture<Void> ready;

    /** False while starting, and for good when a Service's informer could not start. */
    volatile boolean allStarted;

    Watched(Map<String, List<BackendConfig>> backends, List<RuleConfig> rules) {
      this.backends = backends;
      this.rules = rules;
    }
  }

  /** Written by {@link #watch} callers, one at a time (the snapshot applier). */
  private volatile Watched watched;

  /** How many Services have an informer now. */
  public int watchedServices() {
    return watches.size();
  }

  private CompletableFuture<Void> apply(Watched request) {
    Map<String, List<BackendConfig>> next = request.backends;
    boolean allStarted = true;
    backends.set(next);
    for (Iterator<Map.Entry<String, ServiceWatch>> it = watches.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, ServiceWatch> e = it.next();
      if (!next.containsKey(e.getKey())) {
        it.remove();
        e.getValue().close();
      }
    }
    List<CompletableFuture<Void>> ready = new ArrayList<>();
    for (String service : next.keySet()) {
      ServiceWatch watch = watches.get(service);
      if (watch == null) {
        try {
          watch = new ServiceWatch(client, service, this::publish).start();
        } catch (RuntimeException e) {
          // A malformed reference must not keep the other Services, or the snapshot, waiting.
          LOG.error("cannot watch the EndpointSlices of Service {}: {}", service, e.toString());
          allStarted = false; // the next snapshot tries again
          continue;
        }
        watches.put(service, watch);
      } else {
        // The new snapshot may name another port of a Service already watched.
        watch.publish();
      }
      ready.add(watch.ready());
    }
    request.allStarted = allStarted;
    return CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new));
  }

  /** Recomputes every backend of one Service from all of its slices. */
  private void publish(String service, List<EndpointSlice> slices) {
    List<BackendConfig> named = backends.get().get(service);
    if (named == null) {
      return;
    }
    for (BackendConfig backend : named) {
      String key = EndpointRegistry.key(backend);
      List<Address> addresses = SliceAddresses.of(slices, backend);
      boolean changed = registry.update(key, addresses);
      if (addresses.isEmpty() && (changed || registry.set(key).version() == 0)) {
        // Also when it never had any (a selector that matches nothing): the commonest mistake.
        LOG.warn("backend {} has no ready endpoints: its routes answer 503", key);
      } else if (changed) {
        LOG.debug("backend {} now has {} endpoints: {}", key, addresses.size(), addresses);
      }
    }
  }

  /** Stops every informer; the registry keeps the last addresses and the client stays open. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    discoveryThread.execute(
        () -> {
          watches.values().forEach(ServiceWatch::close);
          watches.clear();
        });
    discoveryThread.shutdown();
    try {
      if (!discoveryThread.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("discovery did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
