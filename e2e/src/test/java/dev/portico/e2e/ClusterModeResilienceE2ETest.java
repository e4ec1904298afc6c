package dev.portico.e2e;

import static dev.portico.e2e.OperatorFixture.CONVERGE;
import static dev.portico.e2e.OperatorFixture.condition;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.portico.api.dataplane.DataPlane;
import dev.portico.api.route.GatewayRoute;
import dev.portico.e2e.cluster.HostAddress;
import dev.portico.e2e.cluster.KubeE2E;
import dev.portico.e2e.cluster.Kubectl;
import dev.portico.e2e.cluster.Poll;
import dev.portico.e2e.cluster.PorticoProcess;
import dev.portico.e2e.cluster.Project;
import dev.portico.e2e.cluster.TestNamespace;
import dev.portico.operator.OperatorOptions;
import dev.portico.operator.PorticoOperator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * The cluster path when things go wrong: a snapshot a replica cannot apply (its listener port is
 * taken), two replicas that must both apply before anything counts as programmed, and an operator
 * that goes away and comes back while a replica keeps serving. Same set-up as {@link
 * ClusterModeE2ETest}: the operator in-process with its snapshot channel on loopback, real
 * data-plane processes in cluster mode authenticated as the DataPlane's ServiceAccount, and a
 * selector-less Service whose EndpointSlice points at a backend on the host's own address.
 */
@KubeE2E
class ClusterModeResilienceE2ETest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** The replica reconnects with a jittered backoff that doubles up to 30 s: allow for it. */
  private static final Duration RECONNECT = Duration.ofSeconds(60);

  private static final String ANSWER = "catalog says hi";

  @Test
  void aSnapshotAReplicaCannotApplyIsRefusedReportedAndThePreviousOneKeepsServing(
      KubernetesClient client, TestNamespace ns, Kubectl kubectl) throws Exception {
    HttpServer backend = backend(ANSWER);
    int first = PorticoProcess.freePort();
    try (OperatorFixture f = new OperatorFixture(client)) {
      setUp(f, kubectl, ns, backend, 1, first);
      PorticoOperator operator = f.start(Set.of(ns.name()), true);
      Credentials creds = credentials(client, kubectl, ns, operator.channelCaPem().orElseThrow());
      try (PorticoProcess replica =
          replica(ns, "replica-0", operator.channelPort().orElseThrow(), creds, "127.0.0.1")) {
        replica.awaitReady(Duration.ofSeconds(60));
        assertThat(get("127.0.0.1", first, "/products").body()).isEqualTo(ANSWER);
        DataPlane programmed = awaitDataPlaneProgrammed(client, ns, "True", m -> true);
        String before = programmed.getStatus().snapshotVersion;
        assertThat(servedVersion(replica)).isEqualTo(before);

        // The replica binds its listeners on 127.0.0.1: a second listener on a port something
        // else holds there cannot be opened, so the snapshot that adds it cannot be served.
        String refusedVersion;
        try (ServerSocket squatter = new ServerSocket()) {
          squatter.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
          int second = squatter.getLocalPort();
          f.apply(dataPlane(ns.name(), 1, first, second));

          DataPlane refused =
              awaitDataPlaneProgrammed(client, ns, "False", m -> m.contains("refused"));
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

          // Refused means not swapped in: the previous snapshot keeps serving, the replica stays
          // ready, and it says so in its log and its metrics.
          assertThat(servedVersion(replica)).isEqualTo(before);
          assertThat(get("127.0.0.1", first, "/products").body()).isEqualTo(ANSWER);
          assertThat(replica.admin("/readyz").statusCode()).isEqualTo(200);
          assertThat(logLines(ns, "replica-0"))
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
        DataPlane recovered = awaitDataPlaneProgrammed(client, ns, "True", m -> true);
        assertThat(recovered.getStatus().snapshotVersion)
            .isNotIn(before, refusedVersion)
            .isEqualTo(servedVersion(replica));
        f.awaitRoute(ns.name(), "shop", "Programmed", "True", "Programmed");
      }
    } finally {
      backend.stop(0);
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
    HttpServer backend = backend(ANSWER);
    int first = PorticoProcess.freePort();
    try (OperatorFixture f = new OperatorFixture(client)) {
      setUp(f, kubectl, ns, backend, 1, first);
      PorticoOperator operator = f.start(Set.of(ns.name()), true);
      Credentials creds = credentials(client, kubectl, ns, operator.channelCaPem().orElseThrow());
      try (PorticoProcess replica =
              replica(ns, "replica-0", operator.channelPort().orElseThrow(), creds, "127.0.0.1");
          ServerSocket squatter = new ServerSocket()) {
        replica.awaitReady(Duration.ofSeconds(60));
        f.awaitRoute(ns.name(), "shop", "Programmed", "True", "Programmed");
        String verdictBefore = routeVerdict(f.route(ns.name(), "shop"));
        squatter.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        try (ConditionLog routeLog = ConditionLog.route(client, ns, "shop")) {
          f.apply(dataPlane(ns.name(), 1, first, squatter.getLocalPort()));
          awaitDataPlaneProgrammed(client, ns, "False", m -> m.contains("refused"));
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
    } finally {
      backend.stop(0);
    }
  }

  @Test
  void twoReplicasConvergeAndProgrammedWaitsForBoth(
      KubernetesClient client, TestNamespace ns, Kubectl kubectl) throws Exception {
    HttpServer backend = backend(ANSWER);
    String host = HostAddress.ipv4();
    int listener = freeOnBoth(host);
    try (OperatorFixture f = new OperatorFixture(client)) {
      setUp(f, kubectl, ns, backend, 2, listener);
      PorticoOperator operator = f.start(Set.of(ns.name()), true);
      int channel = operator.channelPort().orElseThrow();
      Credentials creds = credentials(client, kubectl, ns, operator.channelCaPem().orElseThrow());
      // Same listener port for both (one DataPlane), so each binds its own address.
      try (PorticoProcess replica0 = replica(ns, "replica-0", channel, creds, "127.0.0.1");
          PorticoProcess replica1 = replica(ns, "replica-1", channel, creds, host)) {
        replica0.awaitReady(Duration.ofSeconds(60));
        Poll.until(
            "replica-1 serves on " + host,
            Duration.ofSeconds(60),
            () -> ANSWER.equals(get(host, listener, "/products").body()),
            () -> {},
            () -> replica1.logTail(30));
        assertThat(get("127.0.0.1", listener, "/products").body()).isEqualTo(ANSWER);
        awaitDataPlaneProgrammed(client, ns, "True", m -> true);

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
          awaitDataPlaneProgrammed(client, ns, "True", m -> true);
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
              awaitDataPlaneProgrammed(
                  client, ns, "False", m -> m.contains("replica replica-1 of "));
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
          DataPlane converged = awaitDataPlaneProgrammed(client, ns, "True", m -> true);
          assertThat(servedVersion(replica0)).isEqualTo(converged.getStatus().snapshotVersion);
          f.awaitRoute(ns.name(), "shop", "Programmed", "True", "Programmed");
        }
      }
    } finally {
      backend.stop(0);
    }
  }

  @Test
  void theReplicaOutlivesTheOperatorAndReconnectsWithoutAResend(
      KubernetesClient client, TestNamespace ns, Kubectl kubectl) throws Exception {
    HttpServer backend = backend(ANSWER);
    int listener = PorticoProcess.freePort();
    // A restarted operator must be reachable where the replica looks (a fixed port) and trusted by
    // the CA the replica has (kept in Secret portico-channel-ca, as in a cluster).
    int channel = PorticoProcess.freePort();
    OperatorOptions options = survivingChannel(ns, channel);
    PorticoOperator operator = null;
    try (OperatorFixture f = new OperatorFixture(client)) {
      setUp(f, kubectl, ns, backend, 1, listener);
      operator = new PorticoOperator(client, options, new SimpleMeterRegistry());
      operator.start();
      String caPem = operator.channelCaPem().orElseThrow();
      assertThat(client.secrets().inNamespace(ns.name()).withName("portico-channel-ca").get())
          .isNotNull();
      Credentials creds = credentials(client, kubectl, ns, caPem);
      try (PorticoProcess replica = replica(ns, "replica-0", channel, creds, "127.0.0.1")) {
        replica.awaitReady(Duration.ofSeconds(60));
        assertThat(get("127.0.0.1", listener, "/products").body()).isEqualTo(ANSWER);
        f.awaitRoute(ns.name(), "shop", "Programmed", "True", "Programmed");
        String version =
            awaitDataPlaneProgrammed(client, ns, "True", m -> true).getStatus().snapshotVersion;
        assertThat(servedVersion(replica)).isEqualTo(version);
        assertThat(count(ns, "replica-0", "SnapshotApplier - serving snapshot ")).isEqualTo(1);
        assertThat(count(ns, "replica-0", "connected to the operator's snapshot channel"))
            .isEqualTo(1);

        try (ConditionLog routeLog = ConditionLog.route(client, ns, "shop")) {
          Instant stopped = Instant.now();
          System.out.println("[resilience] stopping the operator at " + stopped);
          operator.close();
          operator = null;
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
              () -> count(ns, "replica-0", "reconnecting in") >= 1,
              () -> {},
              () -> replica.logTail(20));
          Instant noticed =
              logLines(ns, "replica-0").stream()
                  .filter(l -> l.contains("reconnecting in"))
                  .map(l -> Instant.parse(l.substring(0, l.indexOf(' '))))
                  .findFirst()
                  .orElseThrow();

          long restarted = System.nanoTime();
          operator = new PorticoOperator(client, options, new SimpleMeterRegistry());
          operator.start();
          assertThat(operator.channelCaPem()).hasValue(caPem);
          Poll.until(
              "the replica reconnects to the new operator",
              RECONNECT,
              () -> count(ns, "replica-0", "connected to the operator's snapshot channel") == 2,
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
          DataPlane dp = awaitDataPlaneProgrammed(client, ns, "True", m -> true);
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
          assertThat(count(ns, "replica-0", "SnapshotApplier - serving snapshot ")).isEqualTo(1);
          assertThat(get("127.0.0.1", listener, "/products").body()).isEqualTo(ANSWER);
        }
      }
    } finally {
      if (operator != null) {
        operator.close();
      }
      backend.stop(0);
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
    HttpServer backend = backend(ANSWER);
    int channel = PorticoProcess.freePort();
    OperatorOptions options = survivingChannel(ns, channel);
    PorticoOperator operator = null;
    try (OperatorFixture f = new OperatorFixture(client)) {
      setUp(f, kubectl, ns, backend, 1, PorticoProcess.freePort());
      operator = new PorticoOperator(client, options, new SimpleMeterRegistry());
      operator.start();
      String caPem = operator.channelCaPem().orElseThrow();
      Credentials creds = credentials(client, kubectl, ns, caPem);

      String version;
      try (ChannelProbe replica = ChannelProbe.open(channel, caPem, ns, creds, "replica-0", null)) {
        String frame = replica.nextFrame(Duration.ofSeconds(10));
        assertThat(frame).as("the first frame of a fresh stream").isNotNull();
        version = Serialization.jsonMapper().readTree(frame).path("version").asText();
        assertThat(version).isNotEmpty();
        replica.ack(version);
        f.awaitRoute(ns.name(), "shop", "Programmed", "True", "Programmed");
        assertThat(
                awaitDataPlaneProgrammed(client, ns, "True", m -> true).getStatus().snapshotVersion)
            .isEqualTo(version);
      }

      operator.close();
      operator = new PorticoOperator(client, options, new SimpleMeterRegistry());
      operator.start();
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
        awaitDataPlaneProgrammed(client, ns, "True", m -> true);
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
    } finally {
      if (operator != null) {
        operator.close();
      }
      backend.stop(0);
    }
  }

  // --- set-up ---------------------------------------------------------------------------------

  /** The channel on a fixed port with its CA in the test namespace: both survive a restart. */
  private static OperatorOptions survivingChannel(TestNamespace ns, int port) {
    OperatorOptions base = OperatorOptions.forTests().withWatchNamespaces(Set.of(ns.name()));
    return new OperatorOptions(
        base.watchNamespaces(),
        base.adminPort(),
        base.dataPlaneImage(),
        base.operatorAddress(),
        port,
        ns.name(),
        base.holdOff(),
        base.maxDelay(),
        base.leaseNamespace(),
        base.identity(),
        base.serverSideApply());
  }

  private record Credentials(Path ca, Path token, Path kubeconfig) {}

  /** The DataPlane, its Service with one ready endpoint (the backend) and route shop on it. */
  private static void setUp(
      OperatorFixture f,
      Kubectl kubectl,
      TestNamespace ns,
      HttpServer backend,
      int replicas,
      int... listeners)
      throws Exception {
    kubectl.run(
        "apply", "-f", Project.root().resolve("manifests/clusterrole-dataplane.yaml").toString());
    f.apply(dataPlane(ns.name(), replicas, listeners));
    f.apply(OperatorE2ETest.service(ns.name(), "catalog"));
    f.apply(slice(ns.name(), "catalog", backend.getAddress().getPort()));
    f.apply(route(ns.name(), "/", null));
  }

  /** What a data-plane pod mounts: the channel CA, its audience token, its API credentials. */
  private static Credentials credentials(
      KubernetesClient client, Kubectl kubectl, TestNamespace ns, String caPem) throws Exception {
    Poll.until(
        "ServiceAccount portico-edge",
        CONVERGE,
        () ->
            client.serviceAccounts().inNamespace(ns.name()).withName("portico-edge").get() != null);
    Path dir = Files.createTempDirectory("portico-replica");
    Path ca = Files.writeString(dir.resolve("ca.crt"), caPem);
    Path token =
        Files.writeString(
            dir.resolve("token"),
            PorticoProcess.audienceToken(client, ns.name(), "portico-edge", "portico-operator"));
    Path kubeconfig =
        PorticoProcess.serviceAccountKubeconfig(client, kubectl, ns.name(), "portico-edge");
    return new Credentials(ca, token, kubeconfig);
  }

  /** A cluster-mode replica; its log is e2e/target/process-logs/NAMESPACE-REPLICA.log. */
  private static PorticoProcess replica(
      TestNamespace ns, String name, int channelPort, Credentials creds, String bind)
      throws IOException {
    return PorticoProcess.dataPlane(
        processName(ns, name),
        creds.kubeconfig(),
        List.of(
            "cluster",
            "--dataplane",
            ns.name() + "/edge",
            "--operator",
            "https://127.0.0.1:" + channelPort,
            "--operator-ca",
            creds.ca().toString(),
            "--token-file",
            creds.token().toString(),
            "--replica",
            name,
            "--bind",
            bind),
        "-Xmx256m");
  }

  private static String processName(TestNamespace ns, String replica) {
    return ns.name() + "-" + replica;
  }

  private static List<String> logLines(TestNamespace ns, String replica) throws IOException {
    Path log =
        Project.root().resolve("e2e/target/process-logs/" + processName(ns, replica) + ".log");
    if (!Files.isRegularFile(log)) {
      return List.of();
    }
    return new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
  }

  private static long count(TestNamespace ns, String replica, String text) throws IOException {
    return logLines(ns, replica).stream().filter(l -> l.contains(text)).count();
  }

  /** A port free on loopback and on {@code host}, so both replicas can bind it. */
  private static int freeOnBoth(String host) throws IOException {
    for (int attempt = 0; attempt < 20; attempt++) {
      int port = PorticoProcess.freePort();
      try (ServerSocket a = new ServerSocket();
          ServerSocket b = new ServerSocket()) {
        a.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        b.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IllegalStateException("no port free on both 127.0.0.1 and " + host);
  }

  // --- observations ---------------------------------------------------------------------------

  private static DataPlane awaitDataPlaneProgrammed(
      KubernetesClient client, TestNamespace ns, String status, Predicate<String> message) {
    DataPlane[] found = new DataPlane[1];
    Poll.until(
        "DataPlane Programmed=" + status,
        CONVERGE,
        () -> {
          DataPlane dp =
              client.resources(DataPlane.class).inNamespace(ns.name()).withName("edge").get();
          Condition c =
              dp.getStatus() == null ? null : condition(dp.getStatus().conditions, "Programmed");
          if (c == null) {
            throw new IllegalStateException("no Programmed condition yet");
          }
          if (!status.equals(c.getStatus())
              || !message.test(c.getMessage())
              || !dp.getMetadata().getGeneration().equals(dp.getStatus().observedGeneration)) {
            throw new IllegalStateException(
                c.getStatus() + "/" + c.getReason() + ": " + c.getMessage());
          }
          found[0] = dp;
          return true;
        });
    return found[0];
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

  /** The version the replica serves, from its admin {@code /snapshot}. */
  private static String servedVersion(PorticoProcess replica) throws Exception {
    HttpResponse<String> r = replica.admin("/snapshot");
    assertThat(r.statusCode()).isEqualTo(200);
    return Serialization.jsonMapper().readTree(r.body()).path("version").asText();
  }

  private static double metric(PorticoProcess replica, String name) throws Exception {
    return replica
        .admin("/metrics")
        .body()
        .lines()
        .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** A hand-driven replica on the snapshot channel: one stream, and acks. */
  private static final class ChannelProbe implements AutoCloseable {
    private final HttpClient https;
    private final URI base;
    private final Path token;
    private final String replica;
    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private Stream<String> lines;
    private Thread reader;

    private ChannelProbe(HttpClient https, URI base, Path token, String replica) {
      this.https = https;
      this.base = base;
      this.token = token;
      this.replica = replica;
    }

    /** Opens the stream, saying it runs {@code have} when not null. */
    static ChannelProbe open(
        int port, String caPem, TestNamespace ns, Credentials creds, String replica, String have)
        throws Exception {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry(
          "channel-ca",
          CertificateFactory.getInstance("X.509")
              .generateCertificate(
                  new ByteArrayInputStream(caPem.getBytes(StandardCharsets.UTF_8))));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, tmf.getTrustManagers(), null);
      HttpClient https =
          HttpClient.newBuilder()
              .sslContext(tls)
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(2))
              .build();
      ChannelProbe probe =
          new ChannelProbe(
              https,
              URI.create("https://127.0.0.1:" + port + "/v1/dataplanes/" + ns.name() + "/edge/"),
              creds.token(),
              replica);
      HttpRequest.Builder request = probe.request("snapshots").GET();
      if (have != null) {
        request.header("Portico-Have", have);
      }
      HttpResponse<Stream<String>> response =
          https.send(request.build(), HttpResponse.BodyHandlers.ofLines());
      assertThat(response.statusCode()).isEqualTo(200);
      probe.lines = response.body();
      probe.reader =
          new Thread(
              () -> {
                try {
                  probe.lines.filter(l -> !l.isBlank()).forEach(probe.frames::add);
                } catch (RuntimeException closed) {
                  // the probe was closed
                }
              },
              "channel-probe-" + replica);
      probe.reader.setDaemon(true);
      probe.reader.start();
      return probe;
    }

    private HttpRequest.Builder request(String path) throws IOException {
      return HttpRequest.newBuilder(base.resolve(path))
          .header("Authorization", "Bearer " + Files.readString(token).trim())
          .header("Portico-Replica", replica);
    }

    /** The next snapshot line, or null when none comes within {@code timeout}. */
    String nextFrame(Duration timeout) throws InterruptedException {
      return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void ack(String version) throws Exception {
      HttpResponse<String> r =
          https.send(
              request("acks")
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"version\":\"" + version + "\",\"applied\":true}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("ack: " + r.body()).isEqualTo(204);
    }

    @Override
    public void close() {
      lines.close();
      reader.interrupt();
    }
  }

  /** Records every distinct Programmed condition an object shows while it is open. */
  private static final class ConditionLog implements AutoCloseable {
    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    private Watch watch;

    static ConditionLog route(KubernetesClient client, TestNamespace ns, String name) {
      ConditionLog log = new ConditionLog();
      log.watch =
          client
              .resources(GatewayRoute.class)
              .inNamespace(ns.name())
              .withName(name)
              .watch(log.watcher(r -> r.getStatus() == null ? null : r.getStatus().conditions));
      return log;
    }

    static ConditionLog dataPlane(KubernetesClient client, TestNamespace ns, String name) {
      ConditionLog log = new ConditionLog();
      log.watch =
          client
              .resources(DataPlane.class)
              .inNamespace(ns.name())
              .withName(name)
              .watch(log.watcher(d -> d.getStatus() == null ? null : d.getStatus().conditions));
      return log;
    }

    private <T extends HasMetadata> Watcher<T> watcher(Function<T, List<Condition>> conditions) {
      return new Watcher<>() {
        @Override
        public void eventReceived(Action action, T resource) {
          Condition c = condition(conditions.apply(resource), "Programmed");
          if (c == null) {
            return;
          }
          String entry = c.getStatus() + "/" + c.getReason() + ": " + c.getMessage();
          synchronized (seen) {
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(entry)) {
              seen.add(entry);
            }
          }
        }

        @Override
        public void onClose(WatcherException cause) {}
      };
    }

    List<String> seen() {
      synchronized (seen) {
        return List.copyOf(seen);
      }
    }

    @Override
    public void close() {
      watch.close();
    }
  }

  // --- objects and requests -------------------------------------------------------------------

  private static HttpResponse<String> get(String host, int port, String path)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpServer backend(String answer) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(HostAddress.ipv4(), 0), 16);
    server.createContext(
        "/",
        ex -> {
          byte[] body = answer.getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          try (var out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    return server;
  }

  private static String dataPlane(String namespace, int replicas, int... ports) {
    List<String> listeners = new ArrayList<>();
    for (int i = 0; i < ports.length; i++) {
      listeners.add("{name: http" + i + ", port: " + ports[i] + "}");
    }
    return """
        apiVersion: portico.dev/v1alpha1
        kind: DataPlane
        metadata: {name: edge, namespace: %s}
        spec:
          replicas: %d
          listeners: [%s]
        """
        .formatted(namespace, replicas, String.join(", ", listeners));
  }

  private static String slice(String namespace, String service, int port) {
    return """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: %s-loopback
          namespace: %s
          labels: {kubernetes.io/service-name: %s}
        addressType: IPv4
        ports: [{name: http, port: %d, protocol: TCP}]
        endpoints:
          - addresses: [%s]
            conditions: {ready: true}
        """
        .formatted(service, namespace, service, port, HostAddress.ipv4());
  }

  private static String route(String namespace, String path, String responseHeader) {
    List<String> lines =
        new ArrayList<>(
            List.of(
                "apiVersion: portico.dev/v1alpha1",
                "kind: GatewayRoute",
                "metadata: {name: shop, namespace: " + namespace + "}",
                "spec:",
                "  parentRefs: [{name: edge}]",
                "  rules:",
                "    - matches: [{path: {type: PathPrefix, value: \"" + path + "\"}}]",
                "      backends: [{name: catalog, port: 80}]"));
    if (responseHeader != null) {
      String[] nameValue = responseHeader.split(": ", 2);
      lines.add("      filters:");
      lines.add("        - type: ResponseHeaderModifier");
      lines.add("          responseHeaderModifier:");
      lines.add("            set: [{name: " + nameValue[0] + ", value: " + nameValue[1] + "}]");
    }
    return String.join("\n", lines) + "\n";
  }
}
