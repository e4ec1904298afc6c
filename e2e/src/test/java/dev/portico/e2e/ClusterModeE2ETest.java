package dev.portico.e2e;

import static dev.portico.e2e.ClusterFixture.get;
import static dev.portico.e2e.ClusterFixture.route;
import static dev.portico.e2e.OperatorFixture.CONVERGE;
import static dev.portico.e2e.OperatorFixture.condition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.api.dataplane.DataPlane;
import dev.portico.e2e.cluster.KubeE2E;
import dev.portico.e2e.cluster.Kubectl;
import dev.portico.e2e.cluster.Poll;
import dev.portico.e2e.cluster.PorticoProcess;
import dev.portico.e2e.cluster.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The cluster path end to end: the operator (in-process, snapshot channel on loopback) and a real
 * data-plane process in cluster mode, authenticated as the DataPlane's own ServiceAccount, a
 * Service without selector whose EndpointSlice points at a local backend (on the host's own
 * address: the API server refuses loopback endpoints); all set up by {@link ClusterFixture}.
 * Traffic flows, Programmed follows the replica's ack, route edits and endpoint changes reach the
 * replica.
 */
@KubeE2E
class ClusterModeE2ETest {
  @Test
  void routesServeThroughAClusterModeReplica(
      KubernetesClient client, TestNamespace ns, Kubectl kubectl) throws Exception {
    int listener = PorticoProcess.freePort();
    try (ClusterFixture f =
            ClusterFixture.setUp(client, kubectl, ns, "catalog says hi", 1, listener);
        PorticoProcess replica = f.startWithOneReplica()) {
      replica.awaitReady(Duration.ofSeconds(60));
      assertThat(get("127.0.0.1", listener, "/products").body()).isEqualTo("catalog says hi");

      // Programmed follows the replica's acknowledgement of the snapshot that has the route.
      f.awaitRoute(ns.name(), "shop", "Ready", "True", "Ready");
      Poll.until(
          "DataPlane Programmed",
          CONVERGE,
          () -> {
            DataPlane dp =
                client.resources(DataPlane.class).inNamespace(ns.name()).withName("edge").get();
            return dp.getStatus() != null
                && "True".equals(condition(dp.getStatus().conditions, "Programmed").getStatus());
          });

      // An edit reaches the replica without a restart.
      f.apply(route(ns.name(), "/", "X-Edited: yes"));
      Poll.until(
          "the edited route served",
          CONVERGE,
          () ->
              "yes"
                  .equals(
                      get("127.0.0.1", listener, "/products")
                          .headers()
                          .firstValue("X-Edited")
                          .orElse("")));

      // An endpoint that stops being ready stops receiving requests, with no recompile.
      f.apply(f.slice(false));
      Poll.until(
          "503 once the only endpoint is not ready",
          CONVERGE,
          () -> get("127.0.0.1", listener, "/products").statusCode() == 503);
      f.apply(f.slice(true));
      Poll.until(
          "200 again", CONVERGE, () -> get("127.0.0.1", listener, "/products").statusCode() == 200);
    }
  }
}
