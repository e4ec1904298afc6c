package dev.portico.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.api.dataplane.DataPlane;
import dev.portico.api.dataplane.ReplicaSnapshotStatus;
import dev.portico.e2e.cluster.Kubectl;
import dev.portico.e2e.cluster.Poll;
import dev.portico.e2e.cluster.PorticoProcess;
import dev.portico.e2e.cluster.Project;
import dev.portico.e2e.cluster.ReplicaCredentials;
import dev.portico.e2e.cluster.TestBackend;
import dev.portico.e2e.cluster.TestNamespace;
import dev.portico.operator.OperatorOptions;
import dev.portico.operator.PorticoOperator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The cluster path for one test namespace: an in-process operator with its snapshot channel (the
 * {@link OperatorFixture} it is), DataPlane {@code edge} with route {@code shop} to Service {@code
 * catalog}, a selector-less Service whose EndpointSlice points at a {@link TestBackend} (on the
 * host's own address: the API server refuses loopback endpoints), and data-plane replica processes
 * authenticated as the DataPlane's ServiceAccount, as its pods are. Closing it stops the operator,
 * then the backend; the replicas are the test's to close, before it.
 */
final class ClusterFixture extends OperatorFixture {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Kubectl kubectl;
  private final TestNamespace ns;
  private final TestBackend backend;

  private ClusterFixture(
      KubernetesClient client, Kubectl kubectl, TestNamespace ns, TestBackend backend) {
    super(client);
    this.kubectl = kubectl;
    this.ns = ns;
    this.backend = backend;
  }

  /**
   * A backend answering {@code answer} and, in {@code ns}: DataPlane edge with {@code replicas} and
   * one listener per port, Service catalog whose one ready endpoint is the backend, route shop on
   * path {@code /}. The operator is not started yet.
   */
  static ClusterFixture setUp(
      KubernetesClient client,
      Kubectl kubectl,
      TestNamespace ns,
      String answer,
      int replicas,
      int... listeners)
      throws Exception {
    ClusterFixture f = new ClusterFixture(client, kubectl, ns, TestBackend.answering(answer));
    try {
      kubectl.run(
          "apply", "-f", Project.root().resolve("manifests/clusterrole-dataplane.yaml").toString());
      f.apply(dataPlane(ns.name(), replicas, listeners));
      f.apply(OperatorE2ETest.service(ns.name(), "catalog"));
      f.apply(f.slice(true));
      f.apply(route(ns.name(), "/", null));
      return f;
    } catch (Exception | Error e) {
      f.close();
      throw e;
    }
  }

  /** The channel on a fixed port with its CA in the test namespace: both survive a restart. */
  OperatorOptions survivingChannel(int port) {
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

  /** What a pod of DataPlane edge mounts, for the channel whose CA is {@code caPem}. */
  ReplicaCredentials credentials(String caPem) throws IOException {
    return ReplicaCredentials.of(client, kubectl, ns.name(), "edge", caPem, CONVERGE);
  }

  /**
   * A cluster-mode replica of edge; its log is e2e/target/process-logs/NAMESPACE-REPLICA.log, so
   * tests never read another test's.
   */
  PorticoProcess replica(String name, int channelPort, ReplicaCredentials creds, String bind)
      throws IOException {
    return creds.start(processName(name), name, channelPort, bind, "256m");
  }

  /**
   * Starts the operator with its channel on a free loopback port and replica-0 bound on 127.0.0.1,
   * not ready yet. The operator makes the DataPlane's ServiceAccount and its binding; the replica
   * runs as it.
   */
  PorticoProcess startWithOneReplica() throws Exception {
    PorticoOperator operator = start(Set.of(ns.name()), true);
    ReplicaCredentials creds = credentials(operator.channelCaPem().orElseThrow());
    return replica("replica-0", operator.channelPort().orElseThrow(), creds, "127.0.0.1");
  }

  /** Service catalog's EndpointSlice: the backend, ready or not. */
  String slice(boolean ready) {
    return TestBackend.slice(ns.name(), "catalog", "catalog-loopback", backend.port(), ready);
  }

  @Override
  public void close() {
    try {
      super.close();
    } finally {
      backend.close();
    }
  }

  // --- observations ---------------------------------------------------------------------------

  /** Waits until DataPlane edge's Programmed has the status, a matching message, and is current. */
  DataPlane awaitDataPlaneProgrammed(String status, Predicate<String> message) {
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

  /**
   * Waits until DataPlane edge's {@code status.replicaSnapshots} passes {@code done} and returns
   * it. Polled on its own: the status pass that flips Programmed may have read the replicas just
   * before the ack that the next pass lists.
   */
  List<ReplicaSnapshotStatus> awaitReplicaSnapshots(
      String what, Predicate<List<ReplicaSnapshotStatus>> done) {
    List<List<ReplicaSnapshotStatus>> found = new ArrayList<>();
    Poll.until(
        "DataPlane replicaSnapshots: " + what,
        CONVERGE,
        () -> {
          DataPlane dp =
              client.resources(DataPlane.class).inNamespace(ns.name()).withName("edge").get();
          List<ReplicaSnapshotStatus> list =
              dp.getStatus() == null || dp.getStatus().replicaSnapshots == null
                  ? List.of()
                  : dp.getStatus().replicaSnapshots;
          if (!done.test(list)) {
            throw new IllegalStateException(Serialization.asJson(list));
          }
          found.add(list);
          return true;
        });
    return found.get(0);
  }

  /** The Events on DataPlane edge with this reason. */
  List<Event> dataPlaneEvents(String reason) {
    return client.v1().events().inNamespace(ns.name()).list().getItems().stream()
        .filter(e -> "DataPlane".equals(e.getInvolvedObject().getKind()))
        .filter(e -> "edge".equals(e.getInvolvedObject().getName()))
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  /** The replica's log so far (all of it: {@link PorticoProcess#logTail} keeps only the end). */
  List<String> logLines(String replica) throws IOException {
    Path log = Project.root().resolve("e2e/target/process-logs/" + processName(replica) + ".log");
    if (!Files.isRegularFile(log)) {
      return List.of();
    }
    return new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
  }

  /** How many lines of the replica's log contain {@code text}. */
  long count(String replica, String text) throws IOException {
    return logLines(replica).stream().filter(l -> l.contains(text)).count();
  }

  private String processName(String replica) {
    return ns.name() + "-" + replica;
  }

  /** The version the replica serves, from its admin {@code /snapshot}. */
  static String servedVersion(PorticoProcess replica) throws Exception {
    HttpResponse<String> r = replica.admin("/snapshot");
    assertThat(r.statusCode()).isEqualTo(200);
    return Serialization.jsonMapper().readTree(r.body()).path("version").asText();
  }

  /** The sum of a metric's samples on the replica's admin {@code /metrics}. */
  static double metric(PorticoProcess replica, String name) throws Exception {
    return replica
        .admin("/metrics")
        .body()
        .lines()
        .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  // --- objects and requests -------------------------------------------------------------------

  /** A port free on loopback and on {@code host}, so replicas binding either can share it. */
  static int freeOnBoth(String host) throws IOException {
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

  /** GET on a replica's listener. */
  static HttpResponse<String> get(String host, int port, String path)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** DataPlane edge with listeners http0, http1, ... on the ports. */
  static String dataPlane(String namespace, int replicas, int... ports) {
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

  /** Route shop on edge to catalog; {@code responseHeader} ("Name: value") set on responses. */
  static String route(String namespace, String path, String responseHeader) {
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
