package dev.portico.e2e;

import static dev.portico.e2e.ClusterFixture.get;
import static dev.portico.e2e.ClusterFixture.servedVersion;
import static dev.portico.e2e.OperatorFixture.CONVERGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portico.api.dataplane.DataPlane;
import dev.portico.e2e.cluster.KubeE2E;
import dev.portico.e2e.cluster.Kubectl;
import dev.portico.e2e.cluster.Poll;
import dev.portico.e2e.cluster.PorticoProcess;
import dev.portico.e2e.cluster.ReplicaCredentials;
import dev.portico.e2e.cluster.TestNamespace;
import dev.portico.operator.OperatorOptions;
import dev.portico.operator.PorticoOperator;
import dev.portico.operator.workload.WorkloadNames;
import dev.portico.snapshot.StoredSnapshot;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The last known good snapshot, end to end: the operator (in-process, its channel CA and the stored
 * snapshots in the test namespace, standing in for its own) stores what a replica applied; with the
 * operator stopped, a data-plane process started afresh serves that snapshot from the Secrets, with
 * only the RBAC the operator granted its ServiceAccount, and is ready. Set up by {@link
 * ClusterFixture}, like {@link ClusterModeResilienceE2ETest}.
 */
@KubeE2E
class LastKnownGoodE2ETest {
  /** The replica reconnects with a jittered backoff that doubles up to 30 s: allow for it. */
  private static final Duration RECONNECT = Duration.ofSeconds(60);

  private static final String ANSWER = "catalog says hi";

  @Test
  void aReplicaStartedWhileTheOperatorIsDownServesTheLastGoodSnapshot(
      KubernetesClient client, TestNamespace ns, Kubectl kubectl) throws Exception {
    int listener = PorticoProcess.freePort();
    int channel = PorticoProcess.freePort();
    String prefix = WorkloadNames.lastGood(ns.name() + "/edge");
    try (ClusterFixture f = ClusterFixture.setUp(client, kubectl, ns, ANSWER, 1, listener)) {
      OperatorOptions options = f.survivingChannel(channel);
      PorticoOperator operator = f.start(options);
      String caPem = operator.channelCaPem().orElseThrow();
      ReplicaCredentials creds = f.credentials(caPem).withLastGood(ns.name());

      String version;
      try (PorticoProcess replica = f.replica("replica-0", channel, creds, "127.0.0.1")) {
        replica.awaitReady(Duration.ofSeconds(60));
        assertThat(get("127.0.0.1", listener, "/products").body()).isEqualTo(ANSWER);
        f.awaitRoute(ns.name(), "shop", "Programmed", "True", "Programmed");
        version = f.awaitDataPlaneProgrammed("True", m -> true).getStatus().snapshotVersion;

        // Stored once a replica applied it.
        Poll.until(
            "Secret " + prefix + "-0 holds snapshot " + version,
            CONVERGE,
            () -> version.equals(storedVersion(client, ns, prefix)));
        Secret first = client.secrets().inNamespace(ns.name()).withName(prefix + "-0").get();
        assertThat(first.getMetadata().getAnnotations())
            .containsEntry(StoredSnapshot.DATAPLANE_ANNOTATION, ns.name() + "/edge")
            .containsEntry(StoredSnapshot.CHUNKS_ANNOTATION, "1")
            .containsKey(StoredSnapshot.SHA256_ANNOTATION);

        // The replica's own credentials read its chunks, and no other Secret there.
        try (KubernetesClient asReplica =
            new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(creds.kubeconfig())))
                .build()) {
          assertThat(asReplica.secrets().inNamespace(ns.name()).withName(prefix + "-0").get())
              .isNotNull();
          assertThatThrownBy(
                  () ->
                      asReplica
                          .secrets()
                          .inNamespace(ns.name())
                          .withName("portico-channel-ca")
                          .get())
              .isInstanceOfSatisfying(
                  KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
          assertThatThrownBy(() -> asReplica.secrets().inNamespace(ns.name()).list())
              .isInstanceOfSatisfying(
                  KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        }
        String sa = "--as=system:serviceaccount:" + ns.name() + ":portico-edge";
        assertThat(canI(kubectl, "get", "secrets/" + prefix + "-7", ns, sa)).isTrue();
        assertThat(canI(kubectl, "get", "secrets/portico-lkg-another-0", ns, sa)).isFalse();

        // Stop the operator: the running replica keeps serving.
        f.stop();
        for (int i = 0; i < 10; i++) {
          HttpResponse<String> r = get("127.0.0.1", listener, "/products");
          assertThat(r.statusCode()).isEqualTo(200);
          assertThat(r.body()).isEqualTo(ANSWER);
          Thread.sleep(100);
        }
      }

      // A data-plane process restarted while the operator is down serves the stored snapshot.
      try (PorticoProcess restarted = f.replica("restarted", channel, creds, "127.0.0.1")) {
        restarted.awaitReady(Duration.ofSeconds(60));
        HttpResponse<String> r = get("127.0.0.1", listener, "/products");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(ANSWER);
        assertThat(servedVersion(restarted)).isEqualTo(version);
        assertThat(f.logLines("restarted"))
            .anyMatch(
                l -> l.contains("serving last known good snapshot " + version + " stored at"));

        // The operator comes back: the replica reconnects and, running that very version, counts
        // as programmed without applying anything again.
        PorticoOperator back = f.start(options);
        Poll.until(
            "the new operator counts the restarted replica as running " + version,
            RECONNECT,
            () ->
                back.publisher()
                    .programmedVersion(ns.name() + "/edge")
                    .filter(version::equals)
                    .isPresent(),
            () -> {},
            () -> restarted.logTail(20));
        assertThat(f.count("restarted", "SnapshotApplier - serving snapshot ")).isEqualTo(1);

        // Deleting the DataPlane removes, through its finalizer, what lives in the operator's
        // namespace: the stored snapshot and the Role and RoleBinding that let the pods read it.
        client.resources(DataPlane.class).inNamespace(ns.name()).withName("edge").delete();
        Poll.until(
            "the DataPlane, its stored snapshot, Role and RoleBinding gone",
            CONVERGE,
            () ->
                client.resources(DataPlane.class).inNamespace(ns.name()).withName("edge").get()
                        == null
                    && client.secrets().inNamespace(ns.name()).withName(prefix + "-0").get() == null
                    && client.rbac().roles().inNamespace(ns.name()).withName(prefix).get() == null
                    && client.rbac().roleBindings().inNamespace(ns.name()).withName(prefix).get()
                        == null);
        assertThat(client.secrets().inNamespace(ns.name()).withName("portico-channel-ca").get())
            .isNotNull();
      }
    }
  }

  private static String storedVersion(KubernetesClient client, TestNamespace ns, String prefix) {
    Secret s = client.secrets().inNamespace(ns.name()).withName(prefix + "-0").get();
    return s == null
        ? null
        : s.getMetadata().getAnnotations().get(StoredSnapshot.VERSION_ANNOTATION);
  }

  /** {@code kubectl auth can-i}, asked of the API server as the DataPlane's ServiceAccount. */
  private static boolean canI(
      Kubectl kubectl, String verb, String resource, TestNamespace ns, String as) {
    Kubectl.Result answer = kubectl.run("auth", "can-i", verb, resource, "-n", ns.name(), as);
    String out = answer.stdout().trim();
    assertThat(out).as(answer.transcript()).isIn("yes", "no");
    return out.equals("yes");
  }
}
