package dev.portico.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.portico.api.dataplane.DataPlane;
import dev.portico.api.dataplane.ReplicaSnapshotStatus;
import dev.portico.operator.Await;
import dev.portico.operator.Fixtures;
import dev.portico.operator.OperatorOptions;
import dev.portico.operator.PorticoOperator;
import dev.portico.operator.channel.ReplicaAck;
import dev.portico.operator.channel.SnapshotChannel;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DataPlane.status.replicaSnapshots and SnapshotRefused Events against the Fabric8 mock API server,
 * with the snapshot channel driven by hand (connects and acks as {@code ChannelServer} reports
 * them).
 */
@EnableKubernetesMockClient(crud = true)
class ReplicaStatusMockServerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String DP = "shop/public";

  KubernetesClient client;
  private PorticoOperator operator;
  private SnapshotChannel channel;

  @BeforeEach
  void seed() throws Exception {
    client.namespaces().resource(Fixtures.namespace("shop")).create();
    client.resource(Fixtures.dataPlane("shop", "public", 2)).create();
    client.resource(Fixtures.service("shop", "catalog")).create();
    client.resource(Fixtures.route("shop", "app", "public", "/app", "catalog")).create();
    operator =
        new PorticoOperator(
            client,
            OperatorOptions.forTests().withoutServerSideApply().withChannel(0),
            new SimpleMeterRegistry());
    operator.start();
    channel = (SnapshotChannel) operator.publisher();
  }

  @AfterEach
  void stop() {
    operator.close();
  }

  @Test
  void everyConnectedReplicaIsListedByNameWithTheVersionItRuns() throws Exception {
    String version = latestVersion(null);
    // Connected in reverse order: the status lists them by name.
    for (String replica : List.of("replica-c", "replica-a", "replica-b")) {
      channel.connected(DP, replica);
    }
    channel.acknowledged(DP, new ReplicaAck("replica-c", version, true, null));
    channel.acknowledged(DP, new ReplicaAck("replica-a", version, true, null));

    DataPlane dp =
        awaitDataPlane(d -> replicas(d).size() == 3 && replicas(d).get(0).version != null);
    assertThat(replicas(dp))
        .extracting(s -> s.replica, s -> s.version)
        .containsExactly(
            tuple("replica-a", version), tuple("replica-b", null), tuple("replica-c", version));
    assertThat(replicas(dp)).allMatch(s -> s.refusedVersion == null && s.refusedReason == null);

    channel.disconnected(DP, "replica-b");
    dp = awaitDataPlane(d -> replicas(d).size() == 2);
    assertThat(replicas(dp)).extracting(s -> s.replica).containsExactly("replica-a", "replica-c");
  }

  @Test
  void statusIsNotRewrittenWhenTheReplicasReportNothingNew() throws Exception {
    String version = latestVersion(null);
    for (String replica : List.of("replica-b", "replica-a")) {
      channel.connected(DP, replica);
      channel.acknowledged(DP, new ReplicaAck(replica, version, true, null));
    }
    awaitDataPlane(
        d -> replicas(d).size() == 2 && replicas(d).stream().allMatch(s -> s.version != null));
    Thread.sleep(500);
    double writes = operator.metrics().statusWrites("DataPlane");
    String resourceVersion = dataPlane().getMetadata().getResourceVersion();

    // Each of these triggers a DataPlane status pass: an ack of the version it already runs
    // (a reconnect's Portico-Have) and an unrelated recompile.
    channel.acknowledged(DP, new ReplicaAck("replica-b", version, true, null));
    channel.acknowledged(DP, new ReplicaAck("replica-a", version, true, null));
    client.resource(Fixtures.service("shop", "unrelated")).create();
    Thread.sleep(1000);

    assertThat(operator.metrics().statusWrites("DataPlane")).isEqualTo(writes);
    assertThat(dataPlane().getMetadata().getResourceVersion()).isEqualTo(resourceVersion);
  }

  @Test
  void theListStopsAtAHundredReplicas() {
    String version = latestVersion(null);
    for (int i = 104; i >= 0; i--) {
      String replica = "replica-%03d".formatted(i);
      channel.connected(DP, replica);
      channel.acknowledged(DP, new ReplicaAck(replica, version, true, null));
    }

    DataPlane dp =
        awaitDataPlane(
            d ->
                replicas(d).size() == 100 && replicas(d).stream().allMatch(s -> s.version != null));
    assertThat(replicas(dp).get(0).replica).isEqualTo("replica-000");
    assertThat(replicas(dp).get(99).replica).isEqualTo("replica-099");
  }

  @Test
  void aRefusalShowsOnStatusAndBecomesOneEventPerReplicaAndVersion() throws Exception {
    String running = latestVersion(null);
    channel.connected(DP, "replica-0");
    channel.acknowledged(DP, new ReplicaAck("replica-0", running, true, null));
    awaitDataPlane(d -> replicas(d).size() == 1 && running.equals(replicas(d).get(0).version));

    client.resource(Fixtures.route("shop", "extra", "public", "/extra", "catalog")).create();
    String refused = latestVersion(running);
    String reason = "listener https: port 8443 is in use " + "x".repeat(300);
    channel.acknowledged(DP, new ReplicaAck("replica-0", refused, false, reason));

    DataPlane dp = awaitDataPlane(d -> refused.equals(replicas(d).get(0).refusedVersion));
    ReplicaSnapshotStatus entry = replicas(dp).get(0);
    assertThat(entry.version).isEqualTo(running);
    assertThat(entry.refusedReason)
        .hasSize(ReplicaSnapshotStatus.MAX_REASON)
        .startsWith("listener https: port 8443 is in use xxx")
        .endsWith("…");
    List<Event> events = awaitRefusalEvents(1);
    assertThat(events.get(0).getType()).isEqualTo("Warning");
    assertThat(events.get(0).getInvolvedObject().getKind()).isEqualTo("DataPlane");
    assertThat(events.get(0).getInvolvedObject().getName()).isEqualTo("public");
    assertThat(events.get(0).getMessage())
        .contains("replica replica-0 refused snapshot " + refused + ": listener https")
        .contains("keeps serving snapshot " + running);

    // The same refusal again, a status pass for another reason, and a reconnect that refuses
    // it once more: still one Event.
    channel.acknowledged(DP, new ReplicaAck("replica-0", refused, false, reason));
    client.resource(Fixtures.service("shop", "unrelated")).create();
    channel.disconnected(DP, "replica-0");
    awaitDataPlane(d -> replicas(d).isEmpty());
    channel.connected(DP, "replica-0");
    channel.acknowledged(DP, new ReplicaAck("replica-0", running, true, null));
    channel.acknowledged(DP, new ReplicaAck("replica-0", refused, false, reason));
    awaitDataPlane(
        d -> replicas(d).size() == 1 && refused.equals(replicas(d).get(0).refusedVersion));
    Thread.sleep(1000);
    assertThat(refusalEvents()).hasSize(1);

    // Another replica refusing the same version is news.
    channel.connected(DP, "replica-1");
    channel.acknowledged(DP, new ReplicaAck("replica-1", refused, false, "no memory"));
    List<Event> two = awaitRefusalEvents(2);
    assertThat(two)
        .anyMatch(
            e ->
                e.getMessage()
                    .equals(
                        "replica replica-1 refused snapshot "
                            + refused
                            + ": no memory; it serves no snapshot yet"));

    // Applying a version clears the refusal.
    channel.acknowledged(DP, new ReplicaAck("replica-0", refused, true, null));
    dp = awaitDataPlane(d -> refused.equals(replicas(d).get(0).version));
    assertThat(replicas(dp).get(0).refusedVersion).isNull();
    assertThat(replicas(dp).get(0).refusedReason).isNull();
  }

  /**
   * A new leader remembers no Event; the status it finds is what tells it a refusal was reported.
   * Until the replicas reconnect it keeps the list they last reported, so the restart alone writes
   * nothing.
   */
  @Test
  void aNewOperatorKeepsTheListWhileReplicasReconnectAndDoesNotReportARefusalAgain()
      throws Exception {
    String running = latestVersion(null);
    channel.connected(DP, "replica-0");
    channel.acknowledged(DP, new ReplicaAck("replica-0", running, true, null));
    client.resource(Fixtures.route("shop", "extra", "public", "/extra", "catalog")).create();
    String refused = latestVersion(running);
    channel.acknowledged(DP, new ReplicaAck("replica-0", refused, false, "port in use"));
    awaitDataPlane(d -> refused.equals(replicas(d).get(0).refusedVersion));
    awaitRefusalEvents(1);

    operator.close();
    operator =
        new PorticoOperator(
            client,
            OperatorOptions.forTests().withoutServerSideApply().withChannel(0),
            new SimpleMeterRegistry());
    operator.start();
    channel = (SnapshotChannel) operator.publisher();
    Await.until(
        "the new operator's first compile", WAIT, () -> channel.latest(DP), o -> o.isPresent());
    Thread.sleep(1000);
    assertThat(operator.metrics().statusWrites("DataPlane")).isZero();
    assertThat(replicas(dataPlane()))
        .extracting(s -> s.replica, s -> s.version, s -> s.refusedVersion)
        .containsExactly(tuple("replica-0", running, refused));

    channel.connected(DP, "replica-0");
    channel.acknowledged(DP, new ReplicaAck("replica-0", running, true, null));
    channel.acknowledged(DP, new ReplicaAck("replica-0", refused, false, "port in use"));
    Thread.sleep(1000);
    assertThat(refusalEvents()).hasSize(1);
    assertThat(replicas(dataPlane()))
        .extracting(s -> s.replica, s -> s.version, s -> s.refusedVersion, s -> s.refusedReason)
        .containsExactly(tuple("replica-0", running, refused, "port in use"));
  }

  /** The latest snapshot version of the DataPlane, once it differs from {@code other}. */
  private String latestVersion(String other) {
    return Await.until(
            "a snapshot of " + DP + " other than " + other,
            WAIT,
            () -> channel.latest(DP).orElse(null),
            f -> !f.version().equals(other))
        .version();
  }

  private DataPlane dataPlane() {
    return client.resources(DataPlane.class).inNamespace("shop").withName("public").get();
  }

  private DataPlane awaitDataPlane(Predicate<DataPlane> done) {
    return Await.until(
        "DataPlane " + DP + " status",
        WAIT,
        this::dataPlane,
        d -> d.getStatus() != null && done.test(d));
  }

  private static List<ReplicaSnapshotStatus> replicas(DataPlane dp) {
    return dp.getStatus().replicaSnapshots == null ? List.of() : dp.getStatus().replicaSnapshots;
  }

  private List<Event> refusalEvents() {
    return client.v1().events().inNamespace("shop").list().getItems().stream()
        .filter(e -> "SnapshotRefused".equals(e.getReason()))
        .toList();
  }

  private List<Event> awaitRefusalEvents(int count) {
    return Await.until("SnapshotRefused Events", WAIT, this::refusalEvents, l -> l.size() >= count);
  }
}
