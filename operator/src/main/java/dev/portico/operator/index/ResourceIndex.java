package dev.portico.operator.index;

import dev.portico.api.dataplane.DataPlane;
import dev.portico.api.ratelimit.RateLimitPolicy;
import dev.portico.api.route.GatewayRoute;
import dev.portico.compiler.CredentialSecret;
import dev.portico.compiler.ResourceBundle;
import dev.portico.compiler.SecretReferences;
import dev.portico.compiler.TlsSecret;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The informer caches the compiler reads: the first stage of the operator's pipeline. Every add,
 * update or delete of a compiler input calls the change listener (the compile scheduler); {@link
 * #bundle()} copies the caches into the compiler's input.
 *
 * <p>Namespaces are always watched cluster-wide, because DataPlanes select the namespaces they
 * admit routes from by label. Everything else is watched in all namespaces or only in the
 * configured ones.
 *
 * <p>Secrets are watched twice, each narrowed by the API server so that the cache holds no more
 * than needed: with a field selector on {@code type=kubernetes.io/tls}, the only type listeners
 * read certificates from, and with a label selector on {@value CredentialSecret#LABEL}, the Secrets
 * admins mark for Portico (a Redis password). A Secret change schedules a compile only when a
 * DataPlane refers to it, and only referenced Secrets (reduced to {@link TlsSecret} or {@link
 * CredentialSecret}) enter the bundle.
 */
public final class ResourceIndex implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceIndex.class);

  private final KubernetesClient client;
  private final Set<String> watchNamespaces;
  private final Runnable onChange;
  private final List<SharedIndexInformer<?>> all = new CopyOnWriteArrayList<>();
  private final List<SharedIndexInformer<DataPlane>> dataPlanes = new ArrayList<>();
  private final List<SharedIndexInformer<GatewayRoute>> routes = new ArrayList<>();
  private final List<SharedIndexInformer<RateLimitPolicy>> policies = new ArrayList<>();
  private final List<SharedIndexInformer<Service>> services = new ArrayList<>();
  private final List<SharedIndexInformer<ReferenceGrant>> grants = new ArrayList<>();
  private final List<SharedIndexInformer<Secret>> secrets = new ArrayList<>();
  private final List<SharedIndexInformer<Secret>> credentials = new ArrayList<>();
  private SharedIndexInformer<Namespace> namespaces;
  private volatile boolean synced;

  /**
   * The Secrets each route names, kept from the route informers' events, for the routes that name
   * any: a compile then unites a few sets instead of walking the security blocks of every route.
   */
  private final Map<String, Set<String>> routeSecrets = new ConcurrentHashMap<>();

  /**
   * @param watchNamespaces the namespaces to watch; empty means all
   * @param onChange called on the informer threads after any change once every cache has synced;
   *     must not block
   */
  public ResourceIndex(KubernetesClient client, Set<String> watchNamespaces, Runnable onChange) {
    this.client = client;
    this.watchNamespaces = Set.copyOf(watchNamespaces);
    this.onChange = onChange;
  }

  /** Starts the informers and waits until every cache has synced. */
  public void start() {
    inform(dataPlanes, c -> c.resources(DataPlane.class));
    inform(routes, c -> c.resources(GatewayRoute.class), this::routeChanged);
    inform(policies, c -> c.resources(RateLimitPolicy.class));
    inform(services, KubernetesClient::services);
    informSecrets(secrets, op -> op.withField("type", TlsSecret.TYPE));
    informSecrets(credentials, op -> op.withLabel(CredentialSecret.LABEL));
    if (referenceGrantsServed()) {
      inform(grants, c -> c.resources(ReferenceGrant.class));
    } else {
      LOG.info(
          "ReferenceGrant (gateway.networking.k8s.io/v1beta1) is not served by this cluster:"
              + " cross-namespace backend references stay refused; restart the operator after"
              + " installing the Gateway API CRDs to honour grants");
    }
    namespaces = client.namespaces().inform(handler(), 0);
    all.add(namespaces);
    CompletableFuture.allOf(
            all.stream()
                .map(i -> i.start().toCompletableFuture())
                .toArray(CompletableFuture[]::new))
        .join();
    synced = true;
    LOG.info(
        "informer caches synced: {} DataPlanes, {} GatewayRoutes, {} RateLimitPolicies",
        size(dataPlanes),
        size(routes),
        size(policies));
  }

  /** A consistent-enough copy of the caches: each list is copied once, at call time. */
  public ResourceBundle bundle() {
    List<DataPlane> planes = list(dataPlanes);
    List<GatewayRoute> routeList = list(routes);
    Set<String> referenced = secretRefs(planes);
    List<TlsSecret> tls = new ArrayList<>();
    for (Secret secret : list(secrets)) {
      if (referenced.contains(key(secret))) {
        tls.add(TlsSecret.of(secret));
      }
    }
    List<CredentialSecret> credential = new ArrayList<>();
    for (Secret secret : list(credentials)) {
      if (referenced.contains(key(secret))) {
        credential.add(CredentialSecret.of(secret));
      }
    }
    return new ResourceBundle(
        planes,
        routeList,
        list(policies),
        list(services),
        namespaces == null ? List.of() : namespaces.getStore().list(),
        list(grants),
        tls,
        credential);
  }

  /** The DataPlane {@code namespace/name} as the cache has it. */
  public Optional<DataPlane> dataPlane(String id) {
    for (SharedIndexInformer<DataPlane> informer : dataPlanes) {
      DataPlane dp = informer.getStore().getByKey(id);
      if (dp != null) {
        return Optional.of(dp);
      }
    }
    return Optional.empty();
  }

  private void informSecrets(
      List<SharedIndexInformer<Secret>> into,
      UnaryOperator<FilterWatchListDeletable<Secret, SecretList, Resource<Secret>>> selector) {
    Set<String> in = watchNamespaces.isEmpty() ? Collections.singleton(null) : watchNamespaces;
    for (String namespace : in) {
      var op = client.secrets();
      SharedIndexInformer<Secret> informer =
          selector
              .apply(namespace == null ? op.inAnyNamespace() : op.inNamespace(namespace))
              .runnableInformer(0);
      ResourceEventHandler<Secret> all = handler();
      informer.addEventHandler(
          new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret s) {
              if (referenced(s)) {
                all.onAdd(s);
              }
            }

            @Override
            public void onUpdate(Secret before, Secret after) {
              if (referenced(after)) {
                all.onUpdate(before, after);
              }
            }

            @Override
            public void onDelete(Secret s, boolean finalStateUnknown) {
              if (referenced(s)) {
                all.onDelete(s, finalStateUnknown);
              }
            }
          });
      into.add(informer);
      this.all.add(informer);
    }
  }

  /** Whether some DataPlane or route refers to the Secret: others never change a compile. */
  private boolean referenced(Secret secret) {
    return secretRefs(list(dataPlanes)).contains(key(secret));
  }

  /**
   * {@code namespace/name} of every Secret these DataPlanes and the cached routes name ({@link
   * SecretReferences}): the certificate and credential Secrets alike, since each watch selects its
   * own kind.
   */
  private Set<String> secretRefs(List<DataPlane> planes) {
    Set<String> refs = new HashSet<>();
    for (DataPlane dp : planes) {
      SecretReferences.of(dp, refs);
    }
    routeSecrets.values().forEach(refs::addAll);
    return refs;
  }

  /** Keeps {@link #routeSecrets} in step with a route event; a deleted route is null. */
  private void routeChanged(String key, GatewayRoute route) {
    Set<String> refs = new HashSet<>();
    if (route != null) {
      SecretReferences.security(route, refs);
    }
    if (refs.isEmpty()) {
      routeSecrets.remove(key);
    } else {
      routeSecrets.put(key, refs);
    }
  }

  private static String key(HasMetadata o) {
    return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }

  private <T extends HasMetadata> void inform(
      List<SharedIndexInformer<T>> into,
      Function<KubernetesClient, MixedOperation<T, ?, ? extends Resource<T>>> operation) {
    inform(into, operation, (key, object) -> {});
  }

  /**
   * @param seen told of every object the informer adds or updates, and of each one it deletes (as
   *     null), by {@code namespace/name}, before the change listener
   */
  private <T extends HasMetadata> void inform(
      List<SharedIndexInformer<T>> into,
      Function<KubernetesClient, MixedOperation<T, ?, ? extends Resource<T>>> operation,
      BiConsumer<String, T> seen) {
    if (watchNamespaces.isEmpty()) {
      add(into, operation.apply(client).inAnyNamespace().runnableInformer(0), seen);
    } else {
      for (String namespace : watchNamespaces) {
        add(into, operation.apply(client).inNamespace(namespace).runnableInformer(0), seen);
      }
    }
  }

  private <T extends HasMetadata> void add(
      List<SharedIndexInformer<T>> into,
      SharedIndexInformer<T> informer,
      BiConsumer<String, T> seen) {
    ResourceEventHandler<T> changes = handler();
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(T obj) {
            seen.accept(key(obj), obj);
            changes.onAdd(obj);
          }

          @Override
          public void onUpdate(T oldObj, T newObj) {
            seen.accept(key(newObj), newObj);
            changes.onUpdate(oldObj, newObj);
          }

          @Override
          public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            seen.accept(key(obj), null);
            changes.onDelete(obj, deletedFinalStateUnknown);
          }
        });
    into.add(informer);
    all.add(informer);
  }

  private <T> ResourceEventHandler<T> handler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        changed();
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        if (!sameVersion(oldObj, newObj)) {
          changed();
        }
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        changed();
      }
    };
  }

  /** The initial list of each informer is not a change: the caller compiles once after start. */
  private void changed() {
    if (synced) {
      onChange.run();
    }
  }

  /** Resyncs and status-only writes of our own would otherwise trigger a compile each. */
  private static boolean sameVersion(Object a, Object b) {
    if (a instanceof HasMetadata x && b instanceof HasMetadata y) {
      Long gx = x.getMetadata().getGeneration();
      Long gy = y.getMetadata().getGeneration();
      boolean specOnly =
          x instanceof DataPlane || x instanceof GatewayRoute || x instanceof RateLimitPolicy;
      if (specOnly && gx != null && gx.equals(gy)) {
        // Status writes bump resourceVersion but not generation; labels and annotations do not
        // feed the compiler for these kinds, but creationTimestamp-based precedence never changes.
        return true;
      }
      return x.getMetadata().getResourceVersion() != null
          && x.getMetadata().getResourceVersion().equals(y.getMetadata().getResourceVersion());
    }
    return false;
  }

  private boolean referenceGrantsServed() {
    try {
      return client.supports(ReferenceGrant.class);
    } catch (RuntimeException e) {
      LOG.warn("could not discover the ReferenceGrant API: {}", e.toString());
      return false;
    }
  }

  private static <T> List<T> list(List<SharedIndexInformer<T>> informers) {
    List<T> out = new ArrayList<>();
    for (SharedIndexInformer<T> informer : informers) {
      out.addAll(informer.getStore().list());
    }
    return out;
  }

  private static int size(List<? extends SharedIndexInformer<?>> informers) {
    return informers.stream().mapToInt(i -> i.getStore().list().size()).sum();
  }

  @Override
  public void close() {
    all.forEach(SharedIndexInformer::close);
  }
}
