package dev.portico.e2e;

import static dev.portico.e2e.OperatorE2ETest.dataPlane;
import static dev.portico.e2e.OperatorE2ETest.route;
import static dev.portico.e2e.OperatorE2ETest.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.api.route.GatewayRoute;
import dev.portico.e2e.cluster.KubeE2E;
import dev.portico.e2e.cluster.Kubectl;
import dev.portico.e2e.cluster.Poll;
import dev.portico.e2e.cluster.PorticoProcess;
import dev.portico.e2e.cluster.Project;
import dev.portico.e2e.cluster.TestNamespace;
import dev.portico.operator.channel.LeaderPodLabel;
import dev.portico.operator.workload.WorkloadNames;
import io.fabric8.kubernetes.api.model.PodBuilder;
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
      // Stand-ins for the operator pods (no kubelet runs them): the leader labels its own pod so
      // the channel Service routes data planes to it.
      for (String pod : List.of("op-a", "op-b")) {
        client
            .pods()
            .inNamespace(ns.name())
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName(pod)
                    .addToLabels(LeaderPodLabel.LABEL, "true") // stale, as after a restart
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("operator")
                    .withImage("ghcr.io/portico-dev/portico-operator:0.1.0")
                    .endContainer()
                    .endSpec()
                    .build())
            .create();
      }
      Map<String, PorticoProcess> replicas =
          Map.of("op-a", start("op-a", ns, kubeconfig), "op-b", start("op-b", ns, kubeconfig));
      try {
        for (PorticoProcess p : replicas.values()) {
          p.awaitReady(Duration.ofSeconds(60));
        }
        // Accepted, not Ready: no data-plane replica runs here, so nothing is Programmed (the
        // snapshot channel is on); ClusterModeE2ETest covers that path.
        f.awaitRoute(ns.name(), "first", "Accepted", "True", "Accepted");
        GatewayRoute first = f.route(ns.name(), "first");
        assertThat(
                OperatorFixture.condition(first.getStatus().conditions, "Programmed").getMessage())
            .contains("no data-plane replica");

        // What the leader makes in its own namespace for the DataPlane's last known good
        // snapshot: the Role and RoleBinding manifests/ must let it write.
        String lastGood = WorkloadNames.lastGood(ns.name() + "/public");
        Poll.until(
            "Role and RoleBinding " + lastGood,
            Duration.ofSeconds(30),
            () ->
                client.rbac().roles().inNamespace(ns.name()).withName(lastGood).get() != null
                    && client.rbac().roleBindings().inNamespace(ns.name()).withName(lastGood).get()
                        != null);

        String leader = holder(client, ns);
        assertThat(replicas).containsKey(leader);
        String standby = leader.equals("op-a") ? "op-b" : "op-a";
        Poll.until(
            "only the leader's pod labelled",
            Duration.ofSeconds(30),
            () -> labelled(client, ns, leader) && !labelled(client, ns, standby));
        var metrics = replicas.get(leader).admin("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
            .contains("portico_operator_compile_seconds_count")
            .contains("portico_operator_routes{state=\"accepted\"} 1.0")
            .contains("jvm_memory_used_bytes");

        replicas.get(leader).close();
        f.apply(
            route(ns.name(), "second", "{name: public}", "b.example.com", "/", "catalog", null));
        Poll.until(
            "the other replica to write status after the leader stopped",
            TAKEOVER,
            () -> {
              var r = f.route(ns.name(), "second");
              return r.getStatus() != null
                  && "True"
                      .equals(
                          OperatorFixture.condition(r.getStatus().conditions, "Accepted")
                              .getStatus());
            });
        assertThat(holder(client, ns)).isEqualTo(standby);
        Poll.until(
            "the label moved to the new leader's pod",
            Duration.ofSeconds(30),
            () -> labelled(client, ns, standby) && !labelled(client, ns, leader));
      } finally {
        replicas.values().forEach(PorticoProcess::close);
        client.rbac().clusterRoleBindings().withName(bindingName(ns)).delete();
      }
    }
  }

  /**
   * The operator's ServiceAccount with exactly the RBAC that manifests/ gives it: the ClusterRole,
   * and the Roles of its own namespace (moved into the test namespace, where the Lease and the
   * Secrets live here).
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
    // The Roles live in portico-system in manifests/; here the Lease and the Secrets do not.
    grantRole(client, ns, "manifests/role-leader-election.yaml");
    grantRole(client, ns, "manifests/role-channel-ca.yaml");
    grantRole(client, ns, "manifests/role-last-good.yaml");
    return PorticoProcess.serviceAccountKubeconfig(client, kubectl, ns.name(), "portico-operator");
  }

  /** Creates a Role of manifests/ in the test namespace and binds it to the operator's account. */
  private static void grantRole(KubernetesClient client, TestNamespace ns, String file)
      throws Exception {
    Role role = Serialization.unmarshal(Files.readString(Project.root().resolve(file)), Role.class);
    role.getMetadata().setNamespace(ns.name());
    client.resource(role).create();
    client
        .rbac()
        .roleBindings()
        .inNamespace(ns.name())
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(role.getMetadata().getName())
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", role.getMetadata().getName())
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("portico-operator")
                .withNamespace(ns.name())
                .endSubject()
                .build())
        .create();
  }

  private static String bindingName(TestNamespace ns) {
    return "portico-operator-" + ns.name();
  }

  private static PorticoProcess start(String identity, TestNamespace ns, Path kubeconfig)
      throws Exception {
    return PorticoProcess.operator(
        identity,
        kubeconfig,
        List.of(
            "--watch-namespaces", ns.name(),
            "--leader-election-namespace", ns.name(),
            "--identity", identity,
            "--channel-port", "0",
            "--channel-namespace", ns.name()),
        "-Xmx256m");
  }

  private static boolean labelled(KubernetesClient client, TestNamespace ns, String pod) {
    var labels = client.pods().inNamespace(ns.name()).withName(pod).get().getMetadata().getLabels();
    return labels != null && "true".equals(labels.get(LeaderPodLabel.LABEL));
  }

  private static String holder(KubernetesClient client, TestNamespace ns) {
    Lease lease = client.leases().inNamespace(ns.name()).withName("portico-operator").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }
}
