package dev.portico.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.e2e.cluster.KubeE2E;
import dev.portico.e2e.cluster.Poll;
import dev.portico.e2e.cluster.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * kube-controller-manager's garbage collector runs: dependents go when their owner goes. The
 * operator relies on this to clean up what it generates for a DataPlane.
 */
@KubeE2E
@Order(Integer.MAX_VALUE) // last: see junit-platform.properties
class GarbageCollectionE2ETest {
  private static final Duration GC_TIMEOUT = Duration.ofSeconds(60);

  /**
   * The collector starts watching a kind that appeared after it started only on its 30 s discovery
   * resync, plus retry backoff (43 s measured). That happens on an existing cluster the suite has
   * just installed the CRDs on; the local control plane installs them before the controller manager
   * starts, so there this takes well under a second.
   */
  private static final Duration NEW_KIND_GC_TIMEOUT = Duration.ofSeconds(90);

  @Test
  void configMapWithOwnerReferenceIsDeletedWithItsOwner(KubernetesClient client, TestNamespace ns) {
    ConfigMap owner = client.resource(configMap(ns, "gc-owner")).create();
    ConfigMap dependent = client.resource(ownedBy(configMap(ns, "gc-dependent"), owner)).create();
    assertThat(dependent.getMetadata().getOwnerReferences()).hasSize(1);

    client.resource(owner).delete();

    awaitDeleted(client, ns, "gc-dependent", GC_TIMEOUT);
  }

  @Test
  void configMapOwnedByADataPlaneIsDeletedWithIt(KubernetesClient client, TestNamespace ns) {
    // A custom resource as owner: the collector must watch Portico's CRDs, not only built-ins.
    GenericKubernetesResource dataPlane =
        client
            .resource(
                Serialization.unmarshal(
                    """
                    apiVersion: portico.dev/v1alpha1
                    kind: DataPlane
                    metadata:
                      name: gc-owner
                    spec:
                      listeners:
                        - {name: http, port: 8080}
                    """,
                    GenericKubernetesResource.class))
            .inNamespace(ns.name())
            .create();
    client.resource(ownedBy(configMap(ns, "gc-dependent"), dataPlane)).create();

    client.resource(dataPlane).delete();

    awaitDeleted(client, ns, "gc-dependent", NEW_KIND_GC_TIMEOUT);
  }

  private static ConfigMap configMap(TestNamespace ns, String name) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns.name())
        .endMetadata()
        .addToData("key", "value")
        .build();
  }

  private static ConfigMap ownedBy(ConfigMap dependent, HasMetadata owner) {
    dependent
        .getMetadata()
        .getOwnerReferences()
        .add(
            new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .build());
    return dependent;
  }

  private static void awaitDeleted(
      KubernetesClient client, TestNamespace ns, String name, Duration timeout) {
    Poll.until(
        "garbage collection of ConfigMap " + ns + "/" + name,
        timeout,
        () -> client.configMaps().inNamespace(ns.name()).withName(name).get() == null);
  }
}
