package dev.portico.e2e.cluster;

import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's shaded jar running as a child process against the suite's cluster, as it runs in a
 * pod: same flags, its own JVM, its admin port on loopback.
 */
public final class PorticoProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final ManagedProcess process;
  private final int adminPort;

  private PorticoProcess(ManagedProcess process, int adminPort) {
    this.process = process;
    this.adminPort = adminPort;
  }

  /**
   * Starts {@code java -jar operator/target/portico-operator.jar <args> --admin-port <free>},
   * authenticated by {@code kubeconfig} (see {@link #serviceAccountKubeconfig}).
   */
  public static PorticoProcess operator(
      String name, Path kubeconfig, List<String> args, String... jvm) throws IOException {
    return start(name, "operator/target/portico-operator.jar", kubeconfig, args, jvm);
  }

  /** Starts {@code java -jar dataplane/target/portico-dataplane.jar <args> --admin-port <free>}. */
  public static PorticoProcess dataPlane(
      String name, Path kubeconfig, List<String> args, String... jvm) throws IOException {
    return start(name, "dataplane/target/portico-dataplane.jar", kubeconfig, args, jvm);
  }

  private static PorticoProcess start(
      String name, String jarPath, Path kubeconfig, List<String> args, String... jvm)
      throws IOException {
    Path jar = Project.root().resolve(jarPath);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build its module first");
    }
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dkubeconfig=" + kubeconfig);
    command.addAll(List.of(jvm));
    // Extra options for every process, e.g. a profiler agent for a benchmark run (bench/README.md).
    String extra = System.getProperty("portico.e2e.processJvmArgs", "").trim();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    command.add("--admin-port");
    command.add(String.valueOf(port));
    Path logs = Files.createDirectories(Project.root().resolve("e2e/target/process-logs"));
    return new PorticoProcess(ManagedProcess.start(name, logs, command), port);
  }

  /**
   * A kubeconfig that authenticates as a ServiceAccount with a bound token, as the operator does in
   * its pod; so the process has exactly the RBAC the test granted that ServiceAccount.
   */
  public static Path serviceAccountKubeconfig(
      KubernetesClient admin, Kubectl kubectl, String namespace, String serviceAccount)
      throws IOException {
    String token =
        admin
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(serviceAccount)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Config adminConfig = Config.fromKubeconfig(Path.of(kubectl.kubeconfig()).toFile());
    String yaml =
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: e2e",
            "  cluster:",
            "    server: " + adminConfig.getMasterUrl(),
            "    certificate-authority: " + adminConfig.getCaCertFile(),
            "users:",
            "- name: " + serviceAccount,
            "  user:",
            "    token: " + token,
            "contexts:",
            "- name: e2e",
            "  context: {cluster: e2e, user: " + serviceAccount + ", namespace: " + namespace + "}",
            "current-context: e2e",
            "");
    Path file = Files.createTempFile("portico-operator-", ".kubeconfig");
    Files.writeString(file, yaml);
    file.toFile().deleteOnExit();
    return file;
  }

  /** A token for the ServiceAccount bound to one audience, as a projected volume holds it. */
  public static String audienceToken(
      KubernetesClient admin, String namespace, String serviceAccount, String audience) {
    return admin
        .serviceAccounts()
        .inNamespace(namespace)
        .withName(serviceAccount)
        .tokenRequest(
            new TokenRequestBuilder()
                .withNewSpec()
                .withAudiences(audience)
                .withExpirationSeconds(3600L)
                .endSpec()
                .build())
        .getStatus()
        .getToken();
  }

  public long pid() {
    return process.pid();
  }

  /** GET on the admin port; the status code and body. */
  public HttpResponse<String> admin(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public void awaitReady(Duration timeout) {
    Poll.until(
        process.name() + " /readyz",
        timeout,
        () -> admin("/readyz").statusCode() == 200,
        process::checkAlive,
        () -> process.logTail(40));
  }

  public String logTail(int lines) {
    return process.logTail(lines);
  }

  @Override
  public void close() {
    process.close();
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
