package dev.portico.e2e;

import static dev.portico.e2e.ClusterFixture.get;
import static dev.portico.e2e.OperatorFixture.CONVERGE;
import static dev.portico.e2e.OperatorFixture.condition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.api.route.GatewayRoute;
import dev.portico.e2e.cluster.KubeE2E;
import dev.portico.e2e.cluster.Kubectl;
import dev.portico.e2e.cluster.Poll;
import dev.portico.e2e.cluster.PorticoProcess;
import dev.portico.e2e.cluster.TestBackend;
import dev.portico.e2e.cluster.TestNamespace;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A composed route through the cluster path: the operator resolves the parts' Services, the
 * cluster-mode replica discovers their EndpointSlices like any backend's and answers one merged
 * document; a part whose Service does not exist is reported (ResolvedRefs=False) and, being
 * optional, left out of the answer and named in Portico-Partial.
 */
@KubeE2E
class ComposeE2ETest {
  @Test
  void composedRouteMergesPartsFromDiscoveredBackends(
      KubernetesClient client, TestNamespace ns, Kubectl kubectl) throws Exception {
    int listener = PorticoProcess.freePort();
    try (ClusterFixture f =
            ClusterFixture.setUp(client, kubectl, ns, "{\"name\":\"mug\"}", 1, listener);
        TestBackend inventory = TestBackend.answering("{\"count\":3,\"warehouse\":\"east\"}");
        PorticoProcess replica = f.startWithOneReplica()) {
      f.apply(OperatorE2ETest.service(ns.name(), "inventory"));
      f.apply(
          TestBackend.slice(ns.name(), "inventory", "inventory-loopback", inventory.port(), true));
      f.apply(
          """
          apiVersion: portico.dev/v1alpha1
          kind: GatewayRoute
          metadata: {name: detail, namespace: %s}
          spec:
            parentRefs: [{name: edge}]
            rules:
              - matches: [{path: {type: RegularExpression, value: "/detail/(?P<id>[0-9]+)"}}]
                compose:
                  deadline: 2s
                  parts:
                    - {name: product, backend: {name: catalog, port: 80}, path: "/p/{id}"}
                    - name: stock
                      backend: {name: inventory, port: 80}
                      path: "/s/{id}"
                      select: [/count]
                    - {name: reviews, backend: {name: reviews, port: 80}, path: /r, required: false}
          """
              .formatted(ns.name()));
      replica.awaitReady(Duration.ofSeconds(60));

      GatewayRoute route =
          f.awaitRoute(ns.name(), "detail", "ResolvedRefs", "False", "BackendNotFound");
      Condition resolved = condition(route.getStatus().conditions, "ResolvedRefs");
      assertThat(resolved.getMessage())
          .contains("spec.rules[0].compose.parts[2].backend")
          .contains("reviews");
      assertThat(condition(route.getStatus().conditions, "Accepted").getStatus()).isEqualTo("True");

      HttpResponse<String>[] answer = new HttpResponse[1];
      Poll.until(
          "the replica serves the composed route",
          CONVERGE,
          () -> {
            answer[0] = get("127.0.0.1", listener, "/detail/7");
            if (answer[0].statusCode() != 200) {
              throw new IllegalStateException(answer[0].statusCode() + ": " + answer[0].body());
            }
            return true;
          });
      assertThat(Serialization.jsonMapper().readTree(answer[0].body()))
          .isEqualTo(
              Serialization.jsonMapper()
                  .readTree("{\"product\":{\"name\":\"mug\"},\"stock\":{\"count\":3}}"));
      assertThat(answer[0].headers().firstValue("portico-partial")).hasValue("reviews");
      assertThat(ClusterFixture.metric(replica, "portico_compose_part_duration_seconds_count"))
          .isGreaterThanOrEqualTo(3);
    }
  }
}
