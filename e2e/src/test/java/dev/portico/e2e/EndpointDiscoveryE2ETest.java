package dev.portico.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portico.dataplane.discovery.EndpointSliceDiscovery;
import dev.portico.dataplane.discovery.SliceAddresses;
import dev.portico.dataplane.proxy.EndpointRegistry;
import dev.portico.dataplane.upstream.Address;
import dev.portico.dataplane.upstream.Endpoint;
import dev.portico.dataplane.upstream.EndpointSet;
import dev.portico.e2e.cluster.KubeE2E;
import dev.portico.e2e.cluster.TestNamespace;
import dev.portico.snapshot.ActionConfig;
import dev.portico.snapshot.BackendConfig;
import dev.portico.snapshot.RuleConfig;
import dev.portico.snapshot.Snapshot;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Cluster-mode discovery against the real API server: a replica's {@link EndpointSliceDiscovery}
 * follows the EndpointSlices of the Services its snapshot names, in place, and lets go of the ones
 * it no longer names.
 */
@KubeE2E
class EndpointDiscoveryE2ETest {
  private static final Duration CONVERGE = Duration.ofSeconds(30);

  // The API server refuses loopback (and link-local) endpoint addresses, so the slices use
  // TEST-NET-1 addresses (RFC 5737); nothing connects to them here.
  private static final String FIRST = "192.0.2.1";
  private static final String SECOND = "192.0.2.2";

  @Test
  void slicesFeedTheRegistryAndUnreferencedServicesAreDropped(
      KubernetesClient client, TestNamespace ns) throws Exception {
    createService(client, ns);
    EndpointSlice slice = client.resource(slice(ns, true)).create();
    BackendConfig backend = new BackendConfig(ns + "/echo", 80, "http", "9000", 1);
    EndpointRegistry registry = new EndpointRegistry();
    EndpointSet set = registry.set(EndpointRegistry.key(backend));

    try (EndpointSliceDiscovery discovery = new EndpointSliceDiscovery(client, registry)) {
      discovery.watch(snapshot(ns, backend)).get(CONVERGE.toSeconds(), TimeUnit.SECONDS);

      // Complete means usable: the snapshot can be swapped in without a 503 window.
      assertThat(addresses(set)).containsExactly(at(FIRST), at(SECOND));
      assertThat(discovery.watchedServices()).isEqualTo(1);
      Endpoint kept = set.find(at(FIRST));

      // A next snapshot that names the same Service port (a new route to a known backend) is
      // ready at once: no informer to start, nothing to wait for on the way to serving it.
      assertThat(discovery.watch(snapshot(ns, backend, backend))).isDone();
      assertThat(addresses(set)).containsExactly(at(FIRST), at(SECOND));

      slice.getEndpoints().get(1).getConditions().setReady(false);
      long updated = System.nanoTime();
      slice = client.resource(slice).update();
      long acknowledged = System.nanoTime();
      long seen = awaitNanos("the second endpoint leaves the set", () -> set.size() == 1);
      System.out.printf(
          "[e2e] slice update -> registry: %d ms after the API acknowledged it (%d ms after the"
              + " update was sent)%n",
          millis(seen - acknowledged), millis(seen - updated));
      assertThat(addresses(set)).containsExactly(at(FIRST));
      // Updated in place: the surviving endpoint keeps its state (active requests, outliers).
      assertThat(set.find(at(FIRST))).isSameAs(kept);

      long deleted = System.nanoTime();
      client.resource(slice).delete();
      long gone = awaitNanos("the set empties", () -> set.size() == 0);
      System.out.printf("[e2e] slice delete -> registry: %d ms%n", millis(gone - deleted));

      discovery.watch(snapshot(ns)).get(CONVERGE.toSeconds(), TimeUnit.SECONDS);
      assertThat(discovery.watchedServices()).isZero();
    }
  }

  @Test
  void aForbiddenWatchIsRetriedUntilRbacAllowsIt(KubernetesClient admin, TestNamespace ns)
      throws Exception {
    createService(admin, ns);
    admin.resource(slice(ns, true)).create();
    BackendConfig backend = new BackendConfig(ns + "/echo", 80, "http", "9000", 1);
    EndpointRegistry registry = new EndpointRegistry();
    // Impersonates a ServiceAccount that has no RBAC yet, as a data plane installed before its
    // binding; a short reconnect interval keeps Fabric8's retries quick.
    String user = "system:serviceaccount:" + ns + ":dataplane";
    try (KubernetesClient client =
            new KubernetesClientBuilder()
                .withConfig(
                    new ConfigBuilder(admin.getConfiguration())
                        .withImpersonateUsername(user)
                        .withWatchReconnectInterval(200)
                        .build())
                .build();
        EndpointSliceDiscovery discovery = new EndpointSliceDiscovery(client, registry)) {
      CompletableFuture<Void> ready = discovery.watch(snapshot(ns, backend));
      assertThatThrownBy(() -> ready.get(2, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);

      grantSliceReader(admin, ns, user);

      ready.get(CONVERGE.toSeconds(), TimeUnit.SECONDS);
      assertThat(addresses(registry.set(EndpointRegistry.key(backend))))
          .containsExactly(at(FIRST), at(SECOND));
    }
  }

  private static void createService(KubernetesClient client, TestNamespace ns) {
    // No selector: the slices are ours, as for a backend outside the cluster.
    client
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("echo")
                .withNamespace(ns.name())
                .endMetadata()
                .withNewSpec()
                .addNewPort()
                .withName("http")
                .withPort(80)
                .withNewTargetPort(9000)
                .endPort()
                .endSpec()
                .build())
        .create();
  }

  private static EndpointSlice slice(TestNamespace ns, boolean secondReady) {
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withName("echo-1")
        .withNamespace(ns.name())
        .addToLabels(SliceAddresses.SERVICE_NAME_LABEL, "echo")
        .endMetadata()
        .withAddressType("IPv4")
        .addNewPort()
        .withName("http")
        .withPort(9000)
        .withProtocol("TCP")
        .endPort()
        .withEndpoints(
            new EndpointBuilder()
                .withAddresses(FIRST)
                .withNewConditions()
                .withReady(true)
                .endConditions()
                .build(),
            new EndpointBuilder()
                .withAddresses(SECOND)
                .withNewConditions()
                .withReady(secondReady)
                .endConditions()
                .build())
        .build();
  }

  private static void grantSliceReader(KubernetesClient admin, TestNamespace ns, String user) {
    admin
        .resource(
            new RoleBuilder()
                .withNewMetadata()
                .withName("slice-reader")
                .withNamespace(ns.name())
                .endMetadata()
                .addNewRule()
                .withApiGroups("discovery.k8s.io")
                .withResources("endpointslices")
                .withVerbs("list", "watch")
                .endRule()
                .build())
        .create();
    admin
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("slice-reader")
                .withNamespace(ns.name())
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "slice-reader")
                .addNewSubject()
                .withKind("User")
                .withName(user)
                .endSubject()
                .build())
        .create();
  }

  /** A snapshot with one proxy rule per backend; endpoints are never part of it. */
  private static Snapshot snapshot(TestNamespace ns, BackendConfig... backends) {
    List<RuleConfig> rules =
        backends.length == 0
            ? List.of()
            : List.of(
                new RuleConfig(
                    ns + "/route/0",
                    ns + "/route",
                    null,
                    null,
                    null,
                    ActionConfig.proxy(List.of(backends)),
                    null,
                    null,
                    null,
                    List.of(),
                    null,
                    null));
    return new Snapshot(
        ns + "/dp", "test", null, List.of(), rules, List.of(), List.of(), null, null, null);
  }

  private static List<Address> addresses(EndpointSet set) {
    return set.endpoints().stream().map(Endpoint::address).toList();
  }

  private static Address at(String host) {
    return new Address(host, 9000);
  }

  /**
   * Checks every millisecond (not {@code Poll}'s 100 ms) so the printed latency means something.
   *
   * @return {@link System#nanoTime()} when the condition first held
   */
  private static long awaitNanos(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + CONVERGE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + CONVERGE.toSeconds() + "s: " + what);
      }
      LockSupport.parkNanos(1_000_000);
    }
    return System.nanoTime();
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
