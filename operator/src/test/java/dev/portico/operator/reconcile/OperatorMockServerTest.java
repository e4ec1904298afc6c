package dev.portico.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.api.dataplane.DataPlane;
import dev.portico.api.route.GatewayRoute;
import dev.portico.operator.Await;
import dev.portico.operator.Fixtures;
import dev.portico.operator.OperatorOptions;
import dev.portico.operator.PorticoOperator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reconcilers against the Fabric8 mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class OperatorMockServerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  KubernetesClient client;
  private PorticoOperator operator;

  @BeforeEach
  void seed() throws Exception {
    client.namespaces().resource(Fixtures.namespace("shop")).create();
    client.resource(Fixtures.dataPlane("shop", "public", 2)).create();
    client.resource(Fixtures.service("shop", "catalog")).create();
    client.resource(Fixtures.route("shop", "app", "public", "/app", "catalog")).create();
    client.resource(Fixtures.route("shop", "broken", "public", "/broken", "missing")).create();
    operator =
        new PorticoOperator(
            client, OperatorOptions.forTests().withoutServerSideApply(), new SimpleMeterRegistry());
    operator.start();
  }

  @AfterEach
  void stop() {
    operator.close();
  }

  @Test
  void everyRouteGetsConditionsAndObservedGeneration() {
    GatewayRoute app = awaitRoute("app", r -> condition(r, "Programmed") != null);
    assertThat(app.getStatus().observedGeneration).isEqualTo(app.getMetadata().getGeneration());
    assertThat(condition(app, "Accepted").getStatus()).isEqualTo("True");
    assertThat(condition(app, "ResolvedRefs").getStatus()).isEqualTo("True");
    assertThat(condition(app, "Programmed").getStatus()).isEqualTo("True");
    assertThat(condition(app, "Ready").getStatus()).isEqualTo("True");
    assertThat(app.getStatus().parents).hasSize(1);
    assertThat(app.getStatus().parents.get(0).parentRef.name).isEqualTo("public");

    GatewayRoute broken = awaitRoute("broken", r -> condition(r, "Ready") != null);
    assertThat(condition(broken, "ResolvedRefs").getStatus()).isEqualTo("False");
    assertThat(condition(broken, "ResolvedRefs").getReason()).isEqualTo("BackendNotFound");
    assertThat(condition(broken, "ResolvedRefs").getMessage()).contains("missing");
    assertThat(condition(broken, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(broken, "Ready").getMessage()).startsWith("ResolvedRefs is False");
  }

  @Test
  void theDataPlaneGetsItsWorkloadsAndStatus() {
    Deployment deployment =
        Await.until(
            "Deployment shop/portico-public",
            WAIT,
            () -> client.apps().deployments().inNamespace("shop").withName("portico-public").get(),
            d -> true);
    assertThat(deployment.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getKind()).isEqualTo("DataPlane"));
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem())
        .isTrue();
    assertThat(pod.getContainers().get(0).getArgs()).contains("shop/public");
    assertThat(pod.getServiceAccountName()).isEqualTo("portico-public");
    Await.until(
        "Service, ServiceAccount, PDB and ClusterRoleBinding",
        WAIT,
        () ->
            client.services().inNamespace("shop").withName("portico-public").get() != null
                && client.serviceAccounts().inNamespace("shop").withName("portico-public").get()
                    != null
                && client
                        .resources(PodDisruptionBudget.class)
                        .inNamespace("shop")
                        .withName("portico-public")
                        .get()
                    != null
                && client
                        .resources(ClusterRoleBinding.class)
                        .withName("portico-dataplane-shop-public")
                        .get()
                    != null,
        Boolean::booleanValue);

    DataPlane dp =
        Await.until(
            "DataPlane status",
            WAIT,
            () -> client.resources(DataPlane.class).inNamespace("shop").withName("public").get(),
            d ->
                d.getStatus() != null
                    && d.getStatus().snapshotVersion != null
                    && "True"
                        .equals(condition(d.getStatus().conditions, "Programmed").getStatus()));
    assertThat(dp.getStatus().attachedRoutes).isEqualTo(2);
    assertThat(dp.getStatus().replicas).isEqualTo(2);
    // No kubelet behind the mock server: no pod is ever ready, and Ready says so.
    Condition ready = condition(dp.getStatus().conditions, "Ready");
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getMessage()).contains("0 of 2 data-plane replicas are ready");
    assertThat(condition(dp.getStatus().conditions, "Programmed").getStatus()).isEqualTo("True");
  }

  @Test
  void compilesLeaveTheWorkloadsAloneAndDriftIsStillCorrected() {
    awaitDataPlane(d -> d.getStatus().attachedRoutes == 2);
    Await.until(
        "Service shop/portico-public",
        WAIT,
        () -> client.services().inNamespace("shop").withName("portico-public").get(),
        s -> true);
    // The pass that created the workloads recorded what it started from, so the next reconcile
    // (here: a new route's) passes once more and finds them as it left them.
    client.resource(Fixtures.route("shop", "extra0", "public", "/extra0", "catalog")).create();
    awaitDataPlane(d -> d.getStatus().attachedRoutes == 3);
    double reconciled = operator.metrics().workloadPasses(true);
    double unchanged = operator.metrics().workloadPasses(false);

    // New routes change the DataPlane's snapshot and status only: its workloads are not rebuilt.
    for (int i = 1; i < 3; i++) {
      client
          .resource(Fixtures.route("shop", "extra" + i, "public", "/extra" + i, "catalog"))
          .create();
    }
    awaitDataPlane(d -> d.getStatus().attachedRoutes == 5);
    assertThat(operator.metrics().workloadPasses(true)).isEqualTo(reconciled);
    assertThat(operator.metrics().workloadPasses(false)).isGreaterThan(unchanged);

    // A workload deleted or edited behind the operator's back is put back.
    client.services().inNamespace("shop").withName("portico-public").delete();
    client.resources(ClusterRoleBinding.class).withName("portico-dataplane-shop-public").delete();
    client
        .apps()
        .deployments()
        .inNamespace("shop")
        .withName("portico-public")
        .edit(
            d -> {
              d.getSpec().setReplicas(7);
              return d;
            });
    Await.until(
        "Service restored",
        WAIT,
        () -> client.services().inNamespace("shop").withName("portico-public").get() != null,
        Boolean::booleanValue);
    Await.until(
        "ClusterRoleBinding restored",
        WAIT,
        () ->
            client
                    .resources(ClusterRoleBinding.class)
                    .withName("portico-dataplane-shop-public")
                    .get()
                != null,
        Boolean::booleanValue);
    awaitDeploymentReplicas(2);

    // A spec change reaches the workloads.
    client
        .resources(DataPlane.class)
        .inNamespace("shop")
        .withName("public")
        .edit(
            d -> {
              d.getSpec().replicas = 3;
              return d;
            });
    awaitDeploymentReplicas(3);
  }

  private void awaitDeploymentReplicas(int replicas) {
    Await.until(
        "Deployment shop/portico-public with " + replicas + " replicas",
        WAIT,
        () ->
            client
                .apps()
                .deployments()
                .inNamespace("shop")
                .withName("portico-public")
                .get()
                .getSpec()
                .getReplicas(),
        r -> r == replicas);
  }

  private DataPlane awaitDataPlane(java.util.function.Predicate<DataPlane> done) {
    return Await.until(
        "DataPlane shop/public",
        WAIT,
        () -> client.resources(DataPlane.class).inNamespace("shop").withName("public").get(),
        d -> d.getStatus() != null && done.test(d));
  }

  @Test
  void statusIsNotRewrittenWhenNothingChanged() throws Exception {
    awaitRoute("app", r -> condition(r, "Ready") != null);
    awaitRoute("broken", r -> condition(r, "Ready") != null);
    Thread.sleep(500);
    double before = operator.metrics().statusWrites("GatewayRoute");
    String version =
        client
            .resources(GatewayRoute.class)
            .inNamespace("shop")
            .withName("app")
            .get()
            .getMetadata()
            .getResourceVersion();

    // An unrelated change recompiles everything; the routes' verdicts stay the same.
    client.resource(Fixtures.service("shop", "unrelated")).create();
    Thread.sleep(1000);

    assertThat(operator.metrics().statusWrites("GatewayRoute")).isEqualTo(before);
    assertThat(
            client
                .resources(GatewayRoute.class)
                .inNamespace("shop")
                .withName("app")
                .get()
                .getMetadata()
                .getResourceVersion())
        .isEqualTo(version);
  }

  @Test
  void fixingARouteFlipsItsConditionsAndMovesOnlyTheirTransitionTimes() {
    GatewayRoute broken = awaitRoute("broken", r -> condition(r, "Ready") != null);
    String acceptedSince = condition(broken, "Accepted").getLastTransitionTime();

    client.resource(Fixtures.service("shop", "missing")).create();

    GatewayRoute fixed =
        awaitRoute("broken", r -> "True".equals(condition(r, "ResolvedRefs").getStatus()));
    assertThat(condition(fixed, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(fixed, "Accepted").getLastTransitionTime()).isEqualTo(acceptedSince);
  }

  private GatewayRoute awaitRoute(String name, java.util.function.Predicate<GatewayRoute> done) {
    return Await.until(
        "GatewayRoute shop/" + name,
        WAIT,
        () -> client.resources(GatewayRoute.class).inNamespace("shop").withName(name).get(),
        r -> r.getStatus() != null && done.test(r));
  }

  private static Condition condition(GatewayRoute route, String type) {
    return condition(route.getStatus().conditions, type);
  }

  private static Condition condition(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> c.getType().equals(type)).findFirst().orElse(null);
  }
}
