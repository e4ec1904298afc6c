package dev.portico.e2e;

import static dev.portico.e2e.OperatorE2ETest.dataPlane;
import static dev.portico.e2e.OperatorE2ETest.route;
import static dev.portico.e2e.OperatorE2ETest.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.e2e.cluster.KubeE2E;
import dev.portico.e2e.cluster.Kubectl;
import dev.portico.e2e.cluster.OperatorProcess;
import dev.portico.e2e.cluster.Project;
import dev.portico.e2e.cluster.TestNamespace;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator jar as a process, two replicas with leader election: both serve their admin port and
 * become ready, one holds the Lease and writes status, and the other takes over when it stops.
 */
@KubeE2E
class OperatorProcessE2ETest {
  /** JOSDK's lease lasts 15 s; a stopped leader does not release it, so the other waits it out. */
  private static final Duration TAKEOVER = Duration.ofSeconds(45);

  @Test
  void twoReplicasElectOneLeaderAndFailOver(
      KubernetesClient client, TestNamespace ns, Kubectl kubectl) throws Exception {
    try (OperatorFixture f = new OperatorFixture(client)) {
      f.apply(dataPlane(ns.name(), "public", "from: Same"));
      f.apply(service(ns.name(), "catalog"));
      f.apply(route(ns.name(), "first", "{name: public}", "a.example.com", "/", "catalog", null));
      Path kubeconfig = grantOperatorRbac(client, ns, kubectl);
      Map<String, OperatorProcess> replicas =
          Map.of("op-a", start("op-a", ns, kubeconfig), "op-b", start("op-b", ns, kubeconfig));
      try {
        for (OperatorProcess p : replicas.values()) {
          p.awaitReady(Duration.ofSeconds(60));
        }
        f.awaitRoute(ns.name(), "first", "Ready", "True", "Ready");

        String leader = holder(client, ns);
        assertThat(replicas).containsKey(leader);
        var metrics = replicas.get(leader).admin("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
            .contains("portico_operator_compile_seconds_count")
            .contains("portico_operator_routes{state=\"accepted\"} 1.0")
            .contains("jvm_memory_used_bytes");

        replicas.get(leader).close();
        f.apply(
            route(ns.name(), "second", "{name: public}", "b.example.com", "/", "catalog", null));
        dev.portico.e2e.cluster.Poll.until(
            "the other replica to write status after the leader stopped",
            TAKEOVER,
            () -> {
              var r = f.route(ns.name(), "second");
              return r.getStatus() != null
                  && "True"
                      .equals(
                          OperatorFixture.condition(r.getStatus().conditions, "Ready").getStatus());
            });
        assertThat(holder(client, ns)).isNotEqualTo(leader).isIn(replicas.keySet());
      } finally {
        replicas.values().forEach(OperatorProcess::close);
        client.rbac().clusterRoleBindings().withName(bindingName(ns)).delete();
      }
    }
  }

  /**
   * The operator's ServiceAccount with exactly the RBAC that manifests/ gives it: the ClusterRole,
   * and the leader-election Role (moved into the test namespace, where the Lease lives here).
   */
  private static Path grantOperatorRbac(KubernetesClient client, TestNamespace ns, Kubectl kubectl)
      throws Exception {
    var applied =
        kubectl.run(
            "apply",
            "-f",
            Project.root().resolve("manifests/clusterrole-operator.yaml").toString(),
            "-f",
            Project.root().resolve("manifests/clusterrole-dataplane.yaml").toString());
    assertThat(applied.exitCode()).as(applied.transcript()).isZero();
    client
        .serviceAccounts()
        .inNamespace(ns.name())
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("portico-operator")
                .endMetadata()
                .build())
        .create();
    client
        .rbac()
        .clusterRoleBindings()
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName(bindingName(ns))
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "portico-operator")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("portico-operator")
                .withNamespace(ns.name())
                .endSubject()
                .build())
        .create();
    Role lease =
        Serialization.unmarshal(
            Files.readString(Project.root().resolve("manifests/role-leader-election.yaml")),
            Role.class);
    lease.getMetadata().setNamespace(ns.name());
    client.resource(lease).create();
    client
        .rbac()
        .roleBindings()
        .inNamespace(ns.name())
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("portico-operator-leader-election")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", lease.getMetadata().getName())
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("portico-operator")
                .withNamespace(ns.name())
                .endSubject()
                .build())
        .create();
    return OperatorProcess.serviceAccountKubeconfig(client, kubectl, ns.name(), "portico-operator");
  }

  private static String bindingName(TestNamespace ns) {
    return "portico-operator-" + ns.name();
  }

  private static OperatorProcess start(String identity, TestNamespace ns, Path kubeconfig)
      throws Exception {
    return OperatorProcess.start(
        identity,
        kubeconfig,
        List.of(
            "--watch-namespaces", ns.name(),
            "--leader-election-namespace", ns.name(),
            "--identity", identity),
        "-Xmx256m");
  }

  private static String holder(KubernetesClient client, TestNamespace ns) {
    Lease lease = client.leases().inNamespace(ns.name()).withName("portico-operator").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }
}
