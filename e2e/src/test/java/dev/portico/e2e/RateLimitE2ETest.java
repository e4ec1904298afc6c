package dev.portico.e2e;

import static dev.portico.e2e.ClusterFixture.get;
import static dev.portico.e2e.OperatorFixture.CONVERGE;
import static dev.portico.e2e.OperatorFixture.condition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.api.ratelimit.RateLimitPolicy;
import dev.portico.e2e.cluster.KubeE2E;
import dev.portico.e2e.cluster.Kubectl;
import dev.portico.e2e.cluster.Poll;
import dev.portico.e2e.cluster.PorticoProcess;
import dev.portico.e2e.cluster.TestNamespace;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Rate limits through the cluster path: a RateLimitPolicy on a GatewayRoute becomes Enforced once
 * the cluster-mode replica acknowledges the snapshot that has it, and the replica answers 429 past
 * the limit; a Global limit on a DataPlane without Redis reports Enforced=False and decides by its
 * failure policy (Open here: it admits). {@link GlobalRateLimitE2ETest} has Redis.
 */
@KubeE2E
class RateLimitE2ETest {
  @Test
  void localLimitIsEnforcedAndGlobalIsReportedAsNot(
      KubernetesClient client, TestNamespace ns, Kubectl kubectl) throws Exception {
    int listener = PorticoProcess.freePort();
    try (ClusterFixture f = ClusterFixture.setUp(client, kubectl, ns, "limited", 1, listener);
        PorticoProcess replica = f.startWithOneReplica()) {
      replica.awaitReady(Duration.ofSeconds(60));
      f.apply(policy(ns.name(), "local", "{name: three, requests: 3, window: Hour}"));
      f.apply(
          policy(ns.name(), "global", "{name: shared, requests: 1, window: Hour, scope: Global}"));

      Condition enforced = awaitEnforced(client, ns.name(), "local", "True");
      assertThat(enforced.getReason()).isEqualTo("Enforced");
      Condition global = awaitEnforced(client, ns.name(), "global", "False");
      assertThat(global.getReason()).isEqualTo("GlobalStoreUnavailable");
      assertThat(global.getMessage()).contains("shared").contains("Redis");
      Condition notReady =
          condition(policy(client, ns.name(), "global").getStatus().conditions, "Ready");
      assertThat(notReady.getStatus()).isEqualTo("False");

      // Enforced means the replica runs it: three pass, the fourth is refused.
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> ok = get("127.0.0.1", listener, "/products");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("limited");
        assertThat(ok.headers().firstValue("RateLimit"))
            .hasValue("\"three\";r=" + (2 - i) + ";t=" + ((i + 1) * 1200));
      }
      HttpResponse<String> refused = get("127.0.0.1", listener, "/products");
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("Retry-After")).hasValue("1200");
      assertThat(refused.headers().firstValue("content-type")).hasValue("application/problem+json");
      assertThat(ClusterFixture.metric(replica, "portico_ratelimit_requests_total"))
          .isGreaterThanOrEqualTo(4);
    }
  }

  static Condition awaitEnforced(
      KubernetesClient client, String namespace, String name, String status) {
    Condition[] found = new Condition[1];
    Poll.until(
        "RateLimitPolicy " + name + " Enforced=" + status,
        CONVERGE,
        () -> {
          RateLimitPolicy p = policy(client, namespace, name);
          Condition c =
              p.getStatus() == null ? null : condition(p.getStatus().conditions, "Enforced");
          if (c == null || !status.equals(c.getStatus())) {
            throw new IllegalStateException(
                c == null ? "no Enforced condition yet" : c.getReason() + ": " + c.getMessage());
          }
          found[0] = c;
          return true;
        });
    return found[0];
  }

  private static RateLimitPolicy policy(KubernetesClient client, String namespace, String name) {
    return client.resources(RateLimitPolicy.class).inNamespace(namespace).withName(name).get();
  }

  private static String policy(String namespace, String name, String limit) {
    return """
        apiVersion: portico.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: %s, namespace: %s}
        spec:
          targetRef: {kind: GatewayRoute, name: shop}
          limits: [%s]
        """
        .formatted(name, namespace, limit);
  }
}
