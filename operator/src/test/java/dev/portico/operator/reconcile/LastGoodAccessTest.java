package dev.portico.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.api.dataplane.DataPlane;
import dev.portico.operator.Await;
import dev.portico.operator.Fixtures;
import dev.portico.operator.OperatorOptions;
import dev.portico.operator.PorticoOperator;
import dev.portico.operator.workload.WorkloadNames;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the operator sets up for a DataPlane's last known good snapshot, in its own namespace, and
 * removes with the DataPlane: against the Fabric8 mock API server in CRUD mode.
 */
@EnableKubernetesMockClient(crud = true)
class LastGoodAccessTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String SYSTEM = "portico-system";

  KubernetesClient client;
  private PorticoOperator operator;
  private final String prefix = WorkloadNames.lastGood("shop/public");

  @BeforeEach
  void start() throws Exception {
    client.namespaces().resource(Fixtures.namespace("shop")).create();
    client.namespaces().resource(Fixtures.namespace(SYSTEM)).create();
    client.resource(Fixtures.dataPlane("shop", "public", 1)).create();
    OperatorOptions base = OperatorOptions.forTests().withoutServerSideApply().withChannel(0);
    operator =
        new PorticoOperator(
            client,
            new OperatorOptions(
                base.watchNamespaces(),
                base.adminPort(),
                base.dataPlaneImage(),
                base.operatorAddress(),
                base.channelPort(),
                SYSTEM,
                base.holdOff(),
                base.maxDelay(),
                base.leaseNamespace(),
                base.identity(),
                base.serverSideApply()),
            new SimpleMeterRegistry());
    operator.start();
  }

  @AfterEach
  void stop() {
    operator.close();
  }

  @Test
  void theDataPlanesPodsMayReadExactlyItsChunksAndAreToldWhere() {
    Role role =
        Await.until(
            "Role " + prefix,
            WAIT,
            () -> client.rbac().roles().inNamespace(SYSTEM).withName(prefix).get(),
            r -> true);
    assertThat(role.getRules())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getResources()).containsExactly("secrets");
              assertThat(rule.getVerbs()).containsExactly("get");
              assertThat(rule.getResourceNames())
                  .containsExactly(
                      prefix + "-0",
                      prefix + "-1",
                      prefix + "-2",
                      prefix + "-3",
                      prefix + "-4",
                      prefix + "-5",
                      prefix + "-6",
                      prefix + "-7");
            });
    RoleBinding binding =
        Await.until(
            "RoleBinding " + prefix,
            WAIT,
            () -> client.rbac().roleBindings().inNamespace(SYSTEM).withName(prefix).get(),
            b -> true);
    assertThat(binding.getRoleRef().getName()).isEqualTo(prefix);
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getNamespace()).isEqualTo("shop");
              assertThat(s.getName()).isEqualTo("portico-public");
            });
    Deployment deployment =
        Await.until(
            "Deployment shop/portico-public",
            WAIT,
            () -> client.apps().deployments().inNamespace("shop").withName("portico-public").get(),
            d -> true);
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsSubsequence("--last-good-namespace", SYSTEM, "--last-good-name", prefix);
  }

  @Test
  void deletingTheDataPlaneRemovesItsRoleBindingAndStoredSnapshot() {
    Await.until(
        "RoleBinding " + prefix,
        WAIT,
        () -> client.rbac().roleBindings().inNamespace(SYSTEM).withName(prefix).get(),
        b -> true);
    // As if stored: the finalizer deletes every chunk, whoever wrote it.
    for (int i : new int[] {0, 1}) {
      client
          .secrets()
          .inNamespace(SYSTEM)
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName(prefix + "-" + i)
                  .endMetadata()
                  .withData(Map.of("chunk", "AA=="))
                  .build())
          .create();
    }

    client.resources(DataPlane.class).inNamespace("shop").withName("public").delete();

    Await.until(
        "the DataPlane, its Role, RoleBinding and chunks gone",
        WAIT,
        () ->
            client.resources(DataPlane.class).inNamespace("shop").withName("public").get() == null
                && client.rbac().roles().inNamespace(SYSTEM).withName(prefix).get() == null
                && client.rbac().roleBindings().inNamespace(SYSTEM).withName(prefix).get() == null
                && client.secrets().inNamespace(SYSTEM).withName(prefix + "-0").get() == null
                && client.secrets().inNamespace(SYSTEM).withName(prefix + "-1").get() == null,
        Boolean::booleanValue);
    assertThat(client.secrets().inNamespace(SYSTEM).withName("portico-channel-ca").get())
        .as("the channel CA is not the DataPlane's")
        .isNotNull();
  }
}
