package dev.portico.e2e.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A throwaway control plane: etcd, kube-apiserver and kube-controller-manager as child processes on
 * free loopback ports, with certificates generated for this run. The flags are those of {@code
 * e2e/control-plane/smoke.sh}, which documents why each one is there.
 */
final class LocalControlPlane implements KubeCluster {
  private static final Duration ETCD_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration APISERVER_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration KCM_TIMEOUT = Duration.ofSeconds(60);
  private static final int LOG_TAIL_LINES = 20;

  private final Path workDir;
  private final List<ManagedProcess> processes = new ArrayList<>();
  private KubernetesClient client;
  private Kubectl kubectl;
  private int apiserverPort;

  private LocalControlPlane(Path workDir) {
    this.workDir = workDir;
  }

  /**
   * Builds or reuses the binaries, then starts and waits for every component. {@code
   * beforeControllers} runs once the API server is ready and before kube-controller-manager starts:
   * CRDs installed there are known to the garbage collector from its first discovery, instead of
   * after its 30 s resync.
   */
  static LocalControlPlane start(
      StartupTimings timings, Consumer<KubernetesClient> beforeControllers) {
    StaleProcessReaper.reapStale();
    ControlPlaneBinaries binaries = ControlPlaneBinaries.buildOrReuse();
    timings.phase("binaries");
    Path workDir;
    try {
      workDir = Files.createTempDirectory(StaleProcessReaper.WORK_DIR_PREFIX);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StaleProcessReaper.claim(workDir);
    LocalControlPlane plane = new LocalControlPlane(workDir);
    try {
      plane.startAll(binaries, timings, beforeControllers);
      return plane;
    } catch (RuntimeException | Error e) {
      String logs = plane.logTails();
      plane.close();
      throw new IllegalStateException(
          "the e2e control plane did not start: " + e.getMessage() + "\n" + logs, e);
    }
  }

  private void startAll(
      ControlPlaneBinaries bin,
      StartupTimings timings,
      Consumer<KubernetesClient> beforeControllers) {
    ControlPlanePki pki = ControlPlanePki.generate(workDir.resolve("pki"));
    int[] ports = freePorts(4);
    int etcdPort = ports[0];
    int etcdPeerPort = ports[1];
    apiserverPort = ports[2];
    int kcmPort = ports[3];
    Path kubeconfig = writeKubeconfig(pki);
    timings.phase("certs");

    String etcdUrl = "http://127.0.0.1:" + etcdPort;
    String peerUrl = "http://127.0.0.1:" + etcdPeerPort;
    ManagedProcess etcd =
        launch(
            "etcd",
            bin.etcd(),
            "--name=e2e",
            "--data-dir=" + workDir.resolve("etcd"),
            "--listen-client-urls=" + etcdUrl,
            "--advertise-client-urls=" + etcdUrl,
            "--listen-peer-urls=" + peerUrl,
            "--initial-advertise-peer-urls=" + peerUrl,
            "--initial-cluster=e2e=" + peerUrl,
            "--unsafe-no-fsync", // tests only: etcd's fsyncs dominate startup on slow disks
            "--log-level=warn");
    HealthProbe.plain().await("etcd /health", ETCD_TIMEOUT, etcdUrl + "/health", etcd);
    timings.phase("etcd");

    ManagedProcess apiserver =
        launch(
            "kube-apiserver",
            bin.kubeApiserver(),
            "--etcd-servers=" + etcdUrl,
            "--bind-address=127.0.0.1",
            "--advertise-address=127.0.0.1",
            "--secure-port=" + apiserverPort,
            "--tls-cert-file=" + pki.apiserverCert,
            "--tls-private-key-file=" + pki.apiserverKey,
            "--client-ca-file=" + pki.caCert,
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            "--service-account-key-file=" + pki.serviceAccountPub,
            "--service-account-signing-key-file=" + pki.serviceAccountKey,
            "--service-cluster-ip-range=10.0.0.0/24",
            "--authorization-mode=RBAC",
            // The lease reconciler refuses a loopback advertise address.
            "--endpoint-reconciler-type=none");
    HealthProbe.trusting(pki.caCert)
        .await(
            "kube-apiserver /readyz",
            APISERVER_TIMEOUT,
            "https://127.0.0.1:" + apiserverPort + "/readyz",
            apiserver);
    // From the file's contents, not the file: Fabric8 re-reads and re-parses a kubeconfig file
    // before every request when it authenticates with a client certificate rather than a token
    // (it looks for a refreshed token), which cost the suite's JVM CPU on every API call.
    Config config;
    try {
      config = Config.fromKubeconfig(Files.readString(kubeconfig));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    config.setClientKeyAlgo("EC"); // Fabric8 assumes RSA for a PKCS#8 key; kubectl detects it
    client = new KubernetesClientBuilder().withConfig(config).build();
    kubectl = new Kubectl(bin.kubectl(), kubeconfig.toString(), workDir.resolve("kubectl-cache"));
    timings.phase("kube-apiserver");
    beforeControllers.accept(client);
    timings.phase("CRDs established");

    ManagedProcess kcm =
        launch(
            "kube-controller-manager",
            bin.kubeControllerManager(),
            "--kubeconfig=" + kubeconfig,
            "--bind-address=127.0.0.1",
            "--secure-port=" + kcmPort,
            "--service-account-private-key-file=" + pki.serviceAccountKey,
            "--root-ca-file=" + pki.caCert,
            "--cluster-signing-cert-file=" + pki.caCert,
            "--cluster-signing-key-file=" + pki.caKey,
            "--controllers=*",
            "--leader-elect=false",
            "--use-service-account-credentials=false",
            // Else KCM creates /usr/libexec/kubernetes/kubelet-plugins on the host.
            "--flex-volume-plugin-dir=" + workDir.resolve("flexvolume"));
    HealthProbe.anyCertificate()
        .await(
            "kube-controller-manager /healthz",
            KCM_TIMEOUT,
            "https://127.0.0.1:" + kcmPort + "/healthz",
            kcm);
    // The serviceaccount controller creating `default` shows the controllers really run.
    Poll.until(
        "the default ServiceAccount (kube-controller-manager's controllers)",
        KCM_TIMEOUT,
        () -> client.serviceAccounts().inNamespace("default").withName("default").get() != null,
        kcm::checkAlive,
        () -> "");
    timings.phase("kube-controller-manager");
  }

  private ManagedProcess launch(String name, Path binary, String... flags) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of(flags));
    ManagedProcess process = ManagedProcess.start(name, workDir, command);
    processes.add(process);
    StaleProcessReaper.record(workDir, process.pid(), binary);
    return process;
  }

  private Path writeKubeconfig(ControlPlanePki pki) {
    String yaml =
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: e2e",
            "  cluster:",
            "    server: https://127.0.0.1:" + apiserverPort,
            "    certificate-authority: " + pki.caCert,
            "users:",
            "- name: admin",
            "  user:",
            "    client-certificate: " + pki.adminCert,
            "    client-key: " + pki.adminKey,
            "contexts:",
            "- name: e2e",
            "  context: {cluster: e2e, user: admin}",
            "current-context: e2e",
            "");
    Path file = workDir.resolve("admin.kubeconfig");
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Ports the OS reports free, all held open until every one is chosen so none repeats. */
  private static int[] freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // closing a probe socket cannot matter
        }
      }
    }
  }

  private String logTails() {
    return processes.stream().map(p -> p.logTail(LOG_TAIL_LINES)).collect(Collectors.joining("\n"));
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public Kubectl kubectl() {
    return kubectl;
  }

  @Override
  public boolean isLocal() {
    return true;
  }

  @Override
  public String description() {
    return "local control plane at https://127.0.0.1:"
        + apiserverPort
        + " (work dir "
        + workDir
        + ", pids "
        + processes.stream().map(p -> p.name() + "=" + p.pid()).collect(Collectors.joining(" "))
        + ")";
  }

  /**
   * Stops the processes in reverse start order (kcm, apiserver, etcd): an apiserver whose etcd is
   * gone spends minutes retrying in its graceful shutdown. Then removes the work dir unless {@code
   * -Dportico.e2e.keep=true}.
   */
  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
      client = null;
    }
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
    if (Boolean.getBoolean("portico.e2e.keep")) {
      System.err.println("[e2e] kept " + workDir + " (certificates, kubeconfig, logs)");
    } else {
      StaleProcessReaper.deleteRecursively(workDir);
    }
  }
}
