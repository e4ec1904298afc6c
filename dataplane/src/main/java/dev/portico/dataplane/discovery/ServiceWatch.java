package dev.portico.dataplane.discovery;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Fabric8 informer on the EndpointSlices of one Service (label {@code
 * kubernetes.io/service-name} in its namespace, so a replica never caches other Services' slices),
 * handing the Service's current slices to discovery after the first sync and after every change.
 */
final class ServiceWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceWatch.class);

  private final String service;
  private final SharedIndexInformer<EndpointSlice> informer;
  private final BiConsumer<String, List<EndpointSlice>> publish;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();

  // Guarded by this. Publishing under the lock orders the informer thread's calls with the ones
  // from watch() and from the start callback: whoever publishes last read the store last.
  private boolean synced;
  private boolean closed;

  /**
   * @param service {@code namespace/name}
   * @param publish called with the Service name and all of its slices; on Fabric8 threads or the
   *     caller of {@link #publish()}, never two at once for one Service
   */
  ServiceWatch(
      KubernetesClient client, String service, BiConsumer<String, List<EndpointSlice>> publish) {
    this.service = service;
    this.publish = publish;
    String[] nsName = service.split("/", 2);
    if (nsName.length != 2 || nsName[0].isEmpty() || nsName[1].isEmpty()) {
      throw new IllegalArgumentException("not a namespace/name Service reference: " + service);
    }
    this.informer =
        client
            .discovery()
            .v1()
            .endpointSlices()
            .inNamespace(nsName[0])
            .withLabel(SliceAddresses.SERVICE_NAME_LABEL, nsName[1])
            .runnableInformer(0);
    // Fabric8's default gives up on a failed first list (RBAC not granted yet, API server
    // unreachable) and stops the informer for good; retrying with its backoff lets the replica
    // recover once the cause is fixed, without a restart.
    informer.exceptionHandler(
        (started, t) -> {
          LOG.warn("{}; retrying with backoff", failure(t));
          return true;
        });
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(EndpointSlice slice) {
            publish();
          }

          @Override
          public void onUpdate(EndpointSlice before, EndpointSlice after) {
            publish();
          }

          @Override
          public void onDelete(EndpointSlice slice, boolean finalStateUnknown) {
            publish();
          }
        });
  }

  /** Starts the informer; {@link #ready()} completes once the first list is published. */
  ServiceWatch start() {
    LOG.info("watching the EndpointSlices of Service {}", service);
    informer
        .start()
        .whenComplete(
            (ok, t) -> {
              if (t != null) {
                ready.completeExceptionally(t);
                return;
              }
              synchronized (this) {
                synced = true;
              }
              publish();
              ready.complete(null);
            });
    return this;
  }

  /**
   * Completes once the informer has synced and its slices were published; completes exceptionally
   * when the watch is closed first.
   */
  CompletableFuture<Void> ready() {
    return ready;
  }

  /** Publishes the current slices; before the first sync the cache may be partial, so nothing. */
  synchronized void publish() {
    if (synced && !closed) {
      publish.accept(service, informer.getStore().list());
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    ready.completeExceptionally(
        new CancellationException("stopped watching Service " + service + " before it synced"));
    informer.close();
    LOG.info("stopped watching the EndpointSlices of Service {}", service);
  }

  private String failure(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    String prefix = "cannot list/watch the EndpointSlices of Service " + service;
    if (cause instanceof KubernetesClientException k && k.getCode() == 403) {
      return prefix
          + ": forbidden; the data plane's ServiceAccount needs list and watch on"
          + " endpointslices.discovery.k8s.io in namespace "
          + service.substring(0, service.indexOf('/'))
          + " (ClusterRole portico-dataplane grants them)";
    }
    return prefix + ": " + cause;
  }
}
