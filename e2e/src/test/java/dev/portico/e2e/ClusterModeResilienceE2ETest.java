package dev.portico.e2e;

import static dev.portico.e2e.ClusterFixture.dataPlane;
import static dev.portico.e2e.ClusterFixture.freeOnBoth;
import static dev.portico.e2e.ClusterFixture.get;
import static dev.portico.e2e.ClusterFixture.metric;
import static dev.portico.e2e.ClusterFixture.route;
import static dev.portico.e2e.ClusterFixture.servedVersion;
import static dev.portico.e2e.OperatorFixture.CONVERGE;
import static dev.portico.e2e.OperatorFixture.condition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.api.dataplane.DataPlane;
import dev.portico.api.dataplane.ReplicaSnapshotStatus;
import dev.portico.api.route.GatewayRoute;
import dev.portico.e2e.cluster.HostAddress;
import dev.portico.e2e.cluster.KubeE2E;
import dev.portico.e2e.cluster.Kubectl;
import dev.portico.e2e.cluster.Poll;
import dev.portico.e2e.cluster.PorticoProcess;
import dev.portico.e2e.cluster.ReplicaCredentials;
import dev.portico.e2e.cluster.TestNamespace;
import dev.portico.operator.OperatorOptions;
import dev.portico.operator.PorticoOperator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The cluster path when things go wrong: a snapshot a replica cannot apply (its listener port is
 * taken), two replicas that must both apply before anything counts as programmed, and an operator
 * that goes away and comes back while a replica keeps serving. Same set-up as {@link
 * ClusterModeE2ETest}, from {@link ClusterFixture}: the operator in-process with its snapshot
 * channel on loopback, real data-plane processes in cluster mode authenticated as the DataPlane's
 * ServiceAccount, and a selector-less Service whose EndpointSlice points at a backend on the host's
 * own address.
 */
@KubeE2E
class ClusterModeResilienceE2ETest {
  /** The replica reconnects with a jittered backoff that doubles up to 30 s: allow for it. */
  private static final Duration RECONNECT = Duration.ofSeconds(60);

  private static final String ANSWER = "catalog says hi";

  @Test
  void aSnapshotAReplicaCannotApplyIsRefusedReportedAndThePreviousOneKeepsServing(
      KubernetesClient client, TestNamespace ns, Kubectl kubectl) throws Exception {
    int first = PorticoProcess.freePort();
    try (ClusterFixture f = ClusterFixture.setUp(client, kubectl, ns, ANSWER, 1, first);
        PorticoProcess replica = f.startWithOneReplica()) {
      replica.awaitReady(Duration.ofSeconds(60));
      assertThat(get("127.0.0.1", first, "/products").body()).isEqualTo(ANSWER);
      DataPlane programmed = f.awaitDataPlaneProgrammed("True", m -> true);
      String before = programmed.getStatus().snapshotVersion;
      assertThat(servedVersion(replica)).isEqualTo(before);

      // The replica binds its listeners on 127.0.0.1: a second listener on a port something
      // else holds there cannot be opened, so the snapshot that adds it cannot be served.
      String refusedVersion;
      try (ServerSocket squatter = new ServerSocket()) {
        squatter.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        int second = squatter.getLocalPort();
        f.apply(dataPlane(ns.name(), 1, first, second));

        DataPlane refused = f.awaitDataPlaneProgrammed("False", m -> m.contains("refused"));
        refusedVersion = refused.getStatus().snapshotVersion;
        assertThat(refusedVersion).isNotEqualTo(before);
        Condition c = condition(refused.getStatus().conditions, "Programmed");
        assertThat(c.getReason()).isEqualTo("Pending");
        assertThat(c.getMessage())
            .contains(
                "replica replica-0 of "
                    + ns.name()
                    + "/edge refused snapshot "
                    + refusedVersion
                    + ": ")
            .containsIgnoringCase("address already in use");

        // The DataPlane lists the replica with what it runs and what it refused, and says so
        // once in an Event.
        ReplicaSnapshotStatus entry =
            f.awaitReplicaSnapshots(
                    "replica-0 refused " + refusedVersion,
                    l -> l.size() == 1 && refusedVersion.equals(l.get(0).refusedVersion))
                .get(0);
        assertThat(entry.replica).isEqualTo("replica-0");
        assertThat(entry.version).isEqualTo(before);
        assertThat(entry.refusedReason)
            .containsIgnoringCase("address already in use")
            .hasSizeLessThanOrEqualTo(ReplicaSnapshotStatus.MAX_REASON);
        Poll.until(
            "a SnapshotRefused Event on DataPlane edge",
            CONVERGE,
            () -> !f.dataPlaneEvents("SnapshotRefused").isEmpty());
        Event event = f.dataPlaneEvents("SnapshotRefused").get(0);
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getMessage())
            .contains("replica replica-0 refused snapshot " + refusedVersion + ": ")
            .containsIgnoringCase("address already in use")
            .contains("keeps serving snapshot " + before);

        // Refused means not swapped in: the previous snapshot keeps serving, the replica stays
        // ready, and it says so in its log and its metrics.
        assertThat(servedVersion(replica)).isEqualTo(before);
        assertThat(get("127.0.0.1", first, "/products").body()).isEqualTo(ANSWER);
        assertThat(replica.admin("/readyz").statusCode()).isEqualTo(200);
        assertThat(f.logLines("replica-0"))
            .anyMatch(
                l ->
                    l.contains("refused snapshot " + refusedVersion)
                        && l.contains("still serving the previous one"));
        assertThat(metric(replica, "portico_snapshot_rejected_total")).isGreaterThanOrEqualTo(1);

        // Release the port, then change something: the next version opens the listener.
        squatter.close();
        f.apply(route(ns.name(), "/", "X-After-Refusal: yes"));
        Poll.until(
            "the new listener serves the edited route",
            CONVERGE,
            () -> {
              HttpResponse<String> r = get("127.0.0.1", second, "/products");
              return r.statusCode() == 200
                  && ANSWER.equals(r.body())
                  && "yes".equals(r.headers().firstValue("X-After-Refusal").orElse(""));
            },
            () -> {},
            () -> replica.logTail(30));
      }
      assertThat(get("127.0.0.1", first, "/products").headers().firstValue("X-After-Refusal"))
          .hasValue("yes");
      DataPlane recovered = f.awaitDataPlaneProgrammed("True", m -> true);
      assertThat(recovered.getStatus().snapshotVersion)
          .isNotIn(before, refusedVersion)
          .isEqualTo(servedVersion(replica));
      f.awaitRoute(ns.name(), "shop", "Programmed", "True", "Programmed");
      // Applying a version clears the refusal; the refusal was reported once, not per status pass.
      String now = recovered.getStatus().snapshotVersion;
      f.awaitReplicaSnapshots(
          "replica-0 runs " + now + " and refuses nothing",
          l ->
              l.size() == 1
                  && now.equals(l.get(0).version)
                  && l.get(0).refusedVersion == null
                  && l.get(0).refusedReason == null);
      assertThat(f.dataPlaneEvents("SnapshotRefused"))
          .filteredOn(e -> e.getMessage().contains(refusedVersion))
          .hasSize(1);
    }
  }

  /**
   * What docs/operator.md promises: "an object is programmed when every connected replica runs a
   * version at least that new". A replica that refuses a DataPlane change still runs the route's
   * latest change, so the route, which did not change, stays Programmed.
   */
  @Test
  void aRefusedDataPlaneChangeLeavesUnchangedRoutesProgrammed(
      KubernetesClient client, TestNamespace ns, Kubectl kubectl) throws Exception {
    int first = PorticoProcess.freePort();
    try (ClusterFixture f = ClusterFixture.setUp(client, kubectl, ns, ANSWER, 1, first);
        PorticoProcess replica = f.startWithOneReplica();
        ServerSocket squatter = new ServerSocket()) {
      replica.awaitReady(Duration.ofSeconds(60));
      f.awaitRoute(ns.name(), "shop", "Programmed", "True", "Programmed");
      String verdictBefore = routeVerdict(f.route(ns.name(), "shop"));
      squatter.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      try (ConditionLog routeLog = ConditionLog.route(client, ns, "shop")) {
        f.apply(dataPlane(ns.name(), 1, first, squatter.getLocalPort()));
        f.awaitDataPlaneProgrammed("False", m -> m.contains("refused"));
        assertThat(get("127.0.0.1", first, "/products").body()).isEqualTo(ANSWER);
        // The route's status pass follows the same ack that flipped the DataPlane's condition:
        // watch it for a few seconds; it must never leave True.
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < until
            && routeLog.seen().stream().allMatch(e -> e.startsWith("True/"))) {
          Thread.sleep(100);
        }
        // The route's own verdict (parents, Accepted, ResolvedRefs) is what it was: the
        // refused snapshot carries no change of it.
        assertThat(routeVerdict(f.route(ns.name(), "shop"))).isEqualTo(verdictBefore);
        assertThat(routeLog.seen())
            .as(
                "Programmed of route shop, which did not change and still runs on the replica,"
                    + " while the replica refuses the DataPlane's new listener")
            .allMatch(e -> e.startsWith("True/"));
        assertThat(
                condition(f.route(ns.name(), "shop").getStatus().conditions, "Programmed")
                    .getStatus())
            .isEqualTo("True");
      }
    }
  }

  @Test
  void twoReplicasConvergeAndProgrammedWaitsForBoth(
      KubernetesClient client, TestNamespace ns, Kubectl kubectl) throws Exception {
    String host = HostAddress.ipv4();
    int listener = freeOnBoth(host);
    try (ClusterFixture f = ClusterFixture.setUp(client, kubectl, ns, ANSWER, 2, listener)) {
      PorticoOperator operator = f.start(Set.of(ns.name()), true);
      int channel = operator.channelPort().orElseThrow();
      ReplicaCredentials creds = f.credentials(operator.channelCaPem().orElseThrow());
      // Same listener port for both (one DataPlane), so each binds its own address.
      try (PorticoProcess replica0 = f.replica("replica-0", channel, creds, "127.0.0.1");
          PorticoProcess replica1 = f.replica("replica-1", channel, creds, host)) {
        replica0.awaitReady(Duration.ofSeconds(60));
        Poll.until(
            "replica-1 serves on " + host,
            Duration.ofSeconds(60),
            () -> ANSWER.equals(get(host, listener, "/products").body()),
            () -> {},
            () -> replica1.logTail(30));
        assertThat(get("127.0.0.1", listener, "/products").body()).isEqualTo(ANSWER);
        String first = f.awaitDataPlaneProgrammed("True", m -> true).getStatus().snapshotVersion;
        assertThat(
                f.awaitReplicaSnapshots(
                    "both replicas run " + first,
                    l -> l.size() == 2 && l.stream().allMatch(r -> first.equals(r.version))))
            .extracting(r -> r.replica)
            .containsExactly("replica-0", "replica-1");

        // An edit reaches both; Programmed turns True once both have applied it.
        try (ConditionLog routeLog = ConditionLog.route(client, ns, "shop");
            ConditionLog dpLog = ConditionLog.dataPlane(client, ns, "edge")) {
          f.apply(route(ns.name(), "/", "X-Edited: yes"));
          for (String address : List.of("127.0.0.1", host)) {
            Poll.until(
                "the edited route served on " + address,
                CONVERGE,
                () ->
                    "yes"
                        .equals(
                            get(address, listener, "/products")
                                .headers()
                                .firstValue("X-Edited")
                                .orElse("")));
          }
          f.awaitRoute(ns.name(), "shop", "Programmed", "True", "Programmed");
          String edited = f.awaitDataPlaneProgrammed("True", m -> true).getStatus().snapshotVersion;
          assertThat(edited).isNotEqualTo(first);
          f.awaitReplicaSnapshots(
              "both replicas run the edit " + edited,
              l -> l.size() == 2 && l.stream().allMatch(r -> edited.equals(r.version)));
          List<String> pending = new ArrayList<>(routeLog.seen());
          pending.addAll(dpLog.seen());
          System.out.println("[resilience] Programmed transitions during the edit: " + pending);
          // Whatever pending message the operator managed to write counts both replicas.
          assertThat(pending)
              .filteredOn(m -> m.contains("waiting for"))
              .allMatch(m -> m.contains(" of 2 replicas of " + ns.name() + "/edge"));
        }

        // Deterministic proof that every replica counts: one of the two cannot open a new
        // listener (its address:port is taken), the other can. Programmed stays False and names
        // the one that refused, although the other serves the new listener.
        try (ServerSocket squatter = new ServerSocket()) {
          int second = freeOnBoth(host);
          squatter.bind(new InetSocketAddress(InetAddress.getByName(host), second));
          f.apply(dataPlane(ns.name(), 2, listener, second));
          DataPlane refused =
              f.awaitDataPlaneProgrammed("False", m -> m.contains("replica replica-1 of "));
          String version = refused.getStatus().snapshotVersion;
          assertThat(condition(refused.getStatus().conditions, "Programmed").getMessage())
              .contains("replica replica-1 of " + ns.name() + "/edge refused snapshot " + version)
              .doesNotContain("replica-0");
          Poll.until(
              "replica-0 serves the new listener",
              CONVERGE,
              () -> ANSWER.equals(get("127.0.0.1", second, "/products").body()));
          assertThat(servedVersion(replica0)).isEqualTo(version);
          assertThat(get(host, listener, "/products").body()).isEqualTo(ANSWER);
          List<ReplicaSnapshotStatus> split =
              f.awaitReplicaSnapshots(
                  "replica-0 runs " + version + ", replica-1 refused it",
                  l ->
                      l.size() == 2
                          && version.equals(l.get(0).version)
                          && version.equals(l.get(1).refusedVersion));
          assertThat(split.get(0).refusedVersion).isNull();
          assertThat(split.get(1).replica).isEqualTo("replica-1");
          assertThat(split.get(1).version).isNotEqualTo(version);
          assertThat(split.get(1).refusedReason).containsIgnoringCase("address already in use");
          Poll.until(
              "a SnapshotRefused Event naming replica-1",
              CONVERGE,
              () ->
                  f.dataPlaneEvents("SnapshotRefused").stream()
                      .anyMatch(
                          e ->
                              e.getMessage()
                                  .startsWith(
                                      "replica replica-1 refused snapshot " + version + ": ")));
          assertThat(f.dataPlaneEvents("SnapshotRefused"))
              .noneMatch(e -> e.getMessage().contains("replica-0"));

          squatter.close();
          f.apply(route(ns.name(), "/", "X-Edited: again"));
          for (String address : List.of("127.0.0.1", host)) {
            Poll.until(
                "both listeners of " + address + " serve the second edit",
                CONVERGE,
                () ->
                    "again"
                            .equals(
                                get(address, listener, "/products")
                                    .headers()
                                    .firstValue("X-Edited")
                                    .orElse(""))
                        && "again"
                            .equals(
                                get(address, second, "/products")
                                    .headers()
                                    .firstValue("X-Edited")
                                    .orElse("")));
          }
          DataPlane converged = f.awaitDataPlaneProgrammed("True", m -> true);
          assertThat(servedVersion(replica0)).isEqualTo(converged.getStatus().snapshotVersion);
          String last = converged.getStatus().snapshotVersion;
          f.awaitReplicaSnapshots(
              "both replicas run " + last + " and refuse nothing",
              l ->
                  l.size() == 2
                      && l.stream()
                          .allMatch(r -> last.equals(r.version) && r.refusedVersion == null));
          f.awaitRoute(ns.name(), "shop", "Programmed", "True", "Programmed");
        }
      }
    }
  }

  @Test
  void theReplicaOutlivesTheOperatorAndReconnectsWithoutAResend(
      KubernetesClient client, TestNamespace ns, Kubectl kubectl) throws Exception {
    int listener = PorticoProcess.freePort();
    // A restarted operator must be reachable where the replica looks (a fixed port) and trusted by
    // the CA the replica has (kept in Secret portico-channel-ca, as in a cluster).
    int channel = PorticoProcess.freePort();
    try (ClusterFixture f = ClusterFixture.setUp(client, kubectl, ns, ANSWER, 1, listener)) {
      OperatorOptions options = f.survivingChannel(channel);
      PorticoOperator operator = f.start(options);
      String caPem = operator.channelCaPem().orElseThrow();
      assertThat(client.secrets().inNamespace(ns.name()).withName("portico-channel-ca").get())
          .isNotNull();
      ReplicaCredentials creds = f.credentials(caPem);
      try (PorticoProcess replica = f.replica("replica-0", channel, creds, "127.0.0.1")) {
        replica.awaitReady(Duration.ofSeconds(60));
        assertThat(get("127.0.0.1", listener, "/products").body()).isEqualTo(ANSWER);
        f.awaitRoute(ns.name(), "shop", "Programmed", "True", "Programmed");
        String version = f.awaitDataPlaneProgrammed("True", m -> true).getStatus().snapshotVersion;
        assertThat(servedVersion(replica)).isEqualTo(version);
        assertThat(f.count("replica-0", "SnapshotApplier - serving snapshot ")).isEqualTo(1);
        assertThat(f.count("replica-0", "connected to the operator's snapshot channel"))
            .isEqualTo(1);

        try (ConditionLog routeLog = ConditionLog.route(client, ns, "shop")) {
          Instant stopped = Instant.now();
          System.out.println("[resilience] stopping the operator at " + stopped);
          f.stop();
          // Without an operator the replica keeps serving what it has.
          long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
          int served = 0;
          while (System.nanoTime() < until) {
            HttpResponse<String> r = get("127.0.0.1", listener, "/products");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(ANSWER);
            served++;
            Thread.sleep(100);
          }
          assertThat(served).isGreaterThan(10);
          assertThat(replica.admin("/readyz").statusCode()).isEqualTo(200);
          Poll.until(
              "the replica notices the operator is gone and retries",
              CONVERGE,
              () -> f.count("replica-0", "reconnecting in") >= 1,
              () -> {},
              () -> replica.logTail(20));
          Instant noticed =
              f.logLines("replica-0").stream()
                  .filter(l -> l.contains("reconnecting in"))
                  .map(l -> Instant.parse(l.substring(0, l.indexOf(' '))))
                  .findFirst()
                  .orElseThrow();

          long restarted = System.nanoTime();
          operator = f.start(options);
          assertThat(operator.channelCaPem()).hasValue(caPem);
          Poll.until(
              "the replica reconnects to the new operator",
              RECONNECT,
              () -> f.count("replica-0", "connected to the operator's snapshot channel") == 2,
              () -> {},
              () -> replica.logTail(20));
          long reconnected = System.nanoTime();
          // The new operator's own view (the route's status may still be the old operator's).
          PorticoOperator restartedOperator = operator;
          Poll.until(
              "the new operator counts the replica as running " + version,
              CONVERGE,
              () ->
                  restartedOperator
                      .publisher()
                      .programmedVersion(ns.name() + "/edge")
                      .filter(version::equals)
                      .isPresent());
          f.awaitRoute(ns.name(), "shop", "Programmed", "True", "Programmed");
          DataPlane dp = f.awaitDataPlaneProgrammed("True", m -> true);
          long programmed = System.nanoTime();
          System.out.printf(
              "[resilience] stop->first retry logged by the replica %d ms,"
                  + " restart->reconnected %d ms, restart->Programmed %d ms;"
                  + " route Programmed transitions: %s%n",
              Duration.between(stopped, noticed).toMillis(),
              (reconnected - restarted) / 1_000_000,
              (programmed - restarted) / 1_000_000,
              routeLog.seen());

          // Same content, same version: nothing new to apply, and the replica applied nothing.
          assertThat(dp.getStatus().snapshotVersion).isEqualTo(version);
          assertThat(servedVersion(replica)).isEqualTo(version);
          assertThat(f.count("replica-0", "SnapshotApplier - serving snapshot ")).isEqualTo(1);
          assertThat(get("127.0.0.1", listener, "/products").body()).isEqualTo(ANSWER);
        }
      }
    }
  }

  /**
   * The operator's half of a reconnect, across an operator restart, with the channel driven by hand
   * (a replica's log cannot tell a resend from none: it acks a version it already runs without a
   * word). A stream that says it runs the current version ({@code Portico-Have}) is not sent it
   * again, and counts as having applied it; a stream that runs nothing gets it at once.
   */
  @Test
  void aReconnectingReplicaIsNotSentTheVersionItRunsAndCountsAsProgrammed(
      KubernetesClient client, TestNamespace ns, Kubectl kubectl) throws Exception {
    int channel = PorticoProcess.freePort();
    try (ClusterFixture f =
        ClusterFixture.setUp(client, kubectl, ns, ANSWER, 1, PorticoProcess.freePort())) {
      OperatorOptions options = f.survivingChannel(channel);
      PorticoOperator operator = f.start(options);
      String caPem = operator.channelCaPem().orElseThrow();
      ReplicaCredentials creds = f.credentials(caPem);

      String version;
      try (ChannelProbe replica = ChannelProbe.open(channel, caPem, ns, creds, "replica-0", null)) {
        String frame = replica.nextFrame(Duration.ofSeconds(10));
        assertThat(frame).as("the first frame of a fresh stream").isNotNull();
        version = Serialization.jsonMapper().readTree(frame).path("version").asText();
        assertThat(version).isNotEmpty();
        replica.ack(version);
        f.awaitRoute(ns.name(), "shop", "Programmed", "True", "Programmed");
        assertThat(f.awaitDataPlaneProgrammed("True", m -> true).getStatus().snapshotVersion)
            .isEqualTo(version);
      }

      f.stop();
      operator = f.start(options);
      assertThat(operator.channelCaPem()).hasValue(caPem);
      // With no replica connected, nothing is programmed: wait until the new operator says so,
      // so that the True below is its verdict on the reconnect and not the old operator's.
      f.awaitRoute(ns.name(), "shop", "Programmed", "False", "Pending");
      assertThat(
              condition(f.route(ns.name(), "shop").getStatus().conditions, "Programmed")
                  .getMessage())
          .contains("no data-plane replica of " + ns.name() + "/edge is connected");

      try (ChannelProbe replica =
          ChannelProbe.open(channel, caPem, ns, creds, "replica-0", version)) {
        f.awaitRoute(ns.name(), "shop", "Programmed", "True", "Programmed");
        f.awaitDataPlaneProgrammed("True", m -> true);
        // Heartbeats are blank lines every 15 s; a resend would come at once.
        assertThat(replica.nextFrame(Duration.ofSeconds(3)))
            .as("a frame sent to a replica that said it runs " + version)
            .isNull();
      }
      try (ChannelProbe fresh = ChannelProbe.open(channel, caPem, ns, creds, "replica-9", null)) {
        assertThat(fresh.nextFrame(Duration.ofSeconds(10)))
            .as("the frame a replica that runs nothing gets")
            .contains("\"version\":\"" + version + "\"");
      }
    }
  }

  /** What the compiler said about a route: its parents, Accepted and ResolvedRefs. */
  private static String routeVerdict(GatewayRoute route) {
    List<String> out = new ArrayList<>();
    out.add(Serialization.asJson(route.getStatus().parents));
    for (String type : List.of("Accepted", "ResolvedRefs")) {
      Condition c = condition(route.getStatus().conditions, type);
      out.add(type + "=" + c.getStatus() + "/" + c.getReason() + ": " + c.getMessage());
    }
    return String.join("\n", out);
  }
}
