package dev.portico.e2e;

import static dev.portico.e2e.OperatorFixture.CONVERGE;
import static dev.portico.e2e.OperatorFixture.condition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.api.dataplane.DataPlane;
import dev.portico.api.route.GatewayRoute;
import dev.portico.e2e.cluster.KubeE2E;
import dev.portico.e2e.cluster.Kubectl;
import dev.portico.e2e.cluster.Poll;
import dev.portico.e2e.cluster.TestNamespace;
import dev.portico.operator.PorticoOperator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The operator against the real API server: workloads, status convergence and tenancy across
 * namespaces, cleanup, and no status writes when nothing changed.
 */
@KubeE2E
class OperatorE2ETest {

  @Test
  void tenancyAcrossNamespacesConvergesOnEveryStatus(KubernetesClient client, TestNamespace infra)
      throws Exception {
    try (OperatorFixture f = new OperatorFixture(client)) {
      String teamA = f.namespace("team-a", "portico.dev/gateway", "public");
      String teamB = f.namespace("team-b", "portico.dev/gateway", "public");
      String outsider = f.namespace("outsider");
      f.apply(
          dataPlane(
              infra.name(),
              "public",
              "from: Selector\n    selector: {matchLabels: {portico.dev/gateway: public}}"));
      f.apply(service(teamA, "catalog"));
      f.apply(service(teamB, "inventory"));
      f.apply(
          route(teamA, "shop", publicIn(infra.name()), "shop.example.com", "/", "catalog", null));
      f.start(Set.of(infra.name(), teamA, teamB, outsider));

      // The oldest claim wins; the later one from another namespace is told who holds it.
      f.awaitRoute(teamA, "shop", "Ready", "True", "Ready");
      f.apply(
          route(
              teamB,
              "shop-copy",
              publicIn(infra.name()),
              "shop.example.com",
              "/",
              "inventory",
              null));
      GatewayRoute loser = f.awaitRoute(teamB, "shop-copy", "Accepted", "False", "Conflicted");
      assertThat(condition(loser.getStatus().conditions, "Accepted").getMessage())
          .contains(teamA + "/shop");
      assertThat(condition(loser.getStatus().conditions, "Ready").getStatus()).isEqualTo("False");

      // A namespace the DataPlane's selector does not admit.
      f.apply(
          route(outsider, "sneaky", publicIn(infra.name()), "sneaky.example.com", "/", "x", null));
      f.awaitRoute(outsider, "sneaky", "Accepted", "False", "NotAllowedByListeners");

      // An invalid route (its parent does not exist) next to valid ones leaves them alone.
      f.apply(
          route(
              teamA,
              "orphan",
              publicIn(infra.name() + "-missing"),
              "o.example.com",
              "/",
              "catalog",
              null));
      f.awaitRoute(teamA, "orphan", "Accepted", "False", null);
      f.awaitRoute(teamA, "shop", "Ready", "True", "Ready");

      // Cross-namespace backend: refused without a grant, resolved once the grant exists.
      f.apply(
          route(
              teamA,
              "stock",
              publicIn(infra.name()),
              "stock.example.com",
              "/",
              "inventory",
              teamB));
      f.awaitRoute(teamA, "stock", "ResolvedRefs", "False", "RefNotPermitted");
      f.apply(
          """
          apiVersion: gateway.networking.k8s.io/v1beta1
          kind: ReferenceGrant
          metadata: {name: team-a-to-inventory, namespace: %s}
          spec:
            from: [{group: portico.dev, kind: GatewayRoute, namespace: %s}]
            to: [{group: "", kind: Service, name: inventory}]
          """
              .formatted(teamB, teamA));
      f.awaitRoute(teamA, "stock", "Ready", "True", "Ready");

      // Transitions are reported as Events on the object.
      List<Event> events =
          client.v1().events().inNamespace(teamB).list().getItems().stream()
              .filter(e -> "shop-copy".equals(e.getInvolvedObject().getName()))
              .toList();
      assertThat(events).extracting(Event::getReason).contains("Conflicted");
    }
  }

  @Test
  void dataPlaneWorkloadsAppearAndGoWithIt(KubernetesClient client, TestNamespace ns)
      throws Exception {
    try (OperatorFixture f = new OperatorFixture(client)) {
      f.apply(dataPlane(ns.name(), "edge", "from: Same"));
      f.start(Set.of(ns.name()));

      Poll.until(
          "Deployment, Service, ServiceAccount, PodDisruptionBudget and ClusterRoleBinding",
          CONVERGE,
          () ->
              client.apps().deployments().inNamespace(ns.name()).withName("portico-edge").get()
                      != null
                  && client.services().inNamespace(ns.name()).withName("portico-edge").get() != null
                  && client.serviceAccounts().inNamespace(ns.name()).withName("portico-edge").get()
                      != null
                  && client
                          .resources(PodDisruptionBudget.class)
                          .inNamespace(ns.name())
                          .withName("portico-edge")
                          .get()
                      != null
                  && binding(client, ns, "edge") != null);
      Deployment deployment =
          client.apps().deployments().inNamespace(ns.name()).withName("portico-edge").get();
      var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
      assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
      assertThat(binding(client, ns, "edge").getSubjects().get(0).getName())
          .isEqualTo("portico-edge");

      // No kubelet runs here, so no pod becomes ready: status says so instead of lying.
      Poll.until(
          "DataPlane status",
          CONVERGE,
          () -> {
            DataPlane dp =
                client.resources(DataPlane.class).inNamespace(ns.name()).withName("edge").get();
            Condition ready =
                dp.getStatus() == null ? null : condition(dp.getStatus().conditions, "Ready");
            return ready != null
                && ready.getMessage().contains("0 of 2 data-plane replicas are ready")
                && dp.getStatus().snapshotVersion != null
                && "True".equals(condition(dp.getStatus().conditions, "Programmed").getStatus());
          });

      client.resources(DataPlane.class).inNamespace(ns.name()).withName("edge").delete();

      Poll.until(
          "DataPlane and its workloads deleted",
          CONVERGE,
          () ->
              client.resources(DataPlane.class).inNamespace(ns.name()).withName("edge").get()
                      == null
                  && binding(client, ns, "edge") == null
                  && client
                          .apps()
                          .deployments()
                          .inNamespace(ns.name())
                          .withName("portico-edge")
                          .get()
                      == null
                  && client.services().inNamespace(ns.name()).withName("portico-edge").get()
                      == null);
    }
  }

  @Test
  void statusIsNotRewrittenWhenNothingChanged(
      KubernetesClient client, TestNamespace ns, Kubectl kubectl) throws Exception {
    try (OperatorFixture f = new OperatorFixture(client)) {
      f.apply(dataPlane(ns.name(), "public", "from: Same"));
      f.apply(service(ns.name(), "catalog"));
      for (int i = 0; i < 10; i++) {
        f.apply(
            route(
                ns.name(),
                "r" + i,
                "{name: public}",
                "r" + i + ".example.com",
                "/",
                "catalog",
                null));
      }
      PorticoOperator operator = f.start(Set.of(ns.name()));
      for (int i = 0; i < 10; i++) {
        f.awaitRoute(ns.name(), "r" + i, "Ready", "True", "Ready");
      }
      // kubectl wait works on the summary condition, as GitOps health checks do.
      var wait =
          kubectl.run(
              "wait", "--for=condition=Ready", "gatewayroute/r0", "-n", ns.name(), "--timeout=10s");
      assertThat(wait.exitCode()).as(wait.transcript()).isZero();

      String r3Status = Serialization.asJson(f.route(ns.name(), "r3").getStatus());
      AtomicInteger modified = new AtomicInteger();
      double writesBefore = operator.metrics().statusWrites("GatewayRoute");
      try (Watch watch =
          client
              .resources(GatewayRoute.class)
              .inNamespace(ns.name())
              .watch(
                  new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, GatewayRoute resource) {
                      // r3 is re-applied by the test itself, which bumps its own managedFields.
                      if (action == Action.MODIFIED
                          && !resource.getMetadata().getName().equals("r3")) {
                        modified.incrementAndGet();
                      }
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                  })) {
        // Recompiles with nothing relevant changed: an unrelated Service, and a no-op re-apply.
        f.apply(service(ns.name(), "unrelated"));
        f.apply(route(ns.name(), "r3", "{name: public}", "r3.example.com", "/", "catalog", null));
        Thread.sleep(2000);
        // A restarted operator reconciles every route once and finds nothing to write.
        operator = f.restart(Set.of(ns.name()));
        writesBefore = 0;
        Thread.sleep(3000);
      }
      assertThat(modified.get()).as("route MODIFIED events").isZero();
      assertThat(Serialization.asJson(f.route(ns.name(), "r3").getStatus())).isEqualTo(r3Status);
      assertThat(operator.metrics().statusWrites("GatewayRoute")).isEqualTo(writesBefore);
    }
  }

  private static ClusterRoleBinding binding(KubernetesClient client, TestNamespace ns, String dp) {
    return client
        .resources(ClusterRoleBinding.class)
        .withName("portico-dataplane-" + ns.name() + "-" + dp)
        .get();
  }

  static String dataPlane(String namespace, String name, String allowedRoutes) {
    return """
        apiVersion: portico.dev/v1alpha1
        kind: DataPlane
        metadata: {name: %s, namespace: %s}
        spec:
          listeners: [{name: http, port: 8080}]
          allowedRoutes:
            %s
        """
        .formatted(name, namespace, allowedRoutes);
  }

  static String service(String namespace, String name) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: %s}
        spec: {ports: [{name: http, port: 80, targetPort: 9000}]}
        """
        .formatted(name, namespace);
  }

  /** A parentRef to DataPlane {@code public} in another namespace. */
  static String publicIn(String namespace) {
    return "{name: public, namespace: " + namespace + "}";
  }

  static String route(
      String namespace,
      String name,
      String parentRef,
      String host,
      String path,
      String backend,
      String backendNamespace) {
    return """
        apiVersion: portico.dev/v1alpha1
        kind: GatewayRoute
        metadata: {name: %s, namespace: %s}
        spec:
          parentRefs: [%s]
          hostnames: [%s]
          rules:
            - matches: [{path: {type: PathPrefix, value: "%s"}}]
              backends: [{name: %s, port: 80%s}]
        """
        .formatted(
            name,
            namespace,
            parentRef,
            host,
            path,
            backend,
            backendNamespace == null ? "" : ", namespace: " + backendNamespace);
  }
}
