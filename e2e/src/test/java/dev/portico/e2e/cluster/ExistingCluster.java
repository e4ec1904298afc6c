package dev.portico.e2e.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A cluster someone else runs (kind, minikube, a dev cluster), named by {@code KUBECONFIG} or
 * {@code -Dportico.e2e.kubeconfig}. The suite only adds namespaces {@code portico-e2e-*} (deleted
 * after each test) and the CRDs, which it leaves installed.
 */
final class ExistingCluster implements KubeCluster {
  private final String kubeconfig;
  private final KubernetesClient client;
  private final Path kubectlCache;
  private final Kubectl kubectl;

  private ExistingCluster(String kubeconfig, KubernetesClient client, Path kubectlCache) {
    this.kubeconfig = kubeconfig;
    this.client = client;
    this.kubectlCache = kubectlCache;
    this.kubectl = new Kubectl(kubectlBinary(), kubeconfig, kubectlCache);
  }

  /** The configured kubeconfig: the system property wins over the environment. */
  static Optional<String> configuredKubeconfig() {
    String property = System.getProperty("portico.e2e.kubeconfig", "");
    if (!property.isBlank() && !property.startsWith("${")) {
      return Optional.of(property);
    }
    String env = System.getenv("KUBECONFIG");
    return env == null || env.isBlank() ? Optional.empty() : Optional.of(env);
  }

  /**
   * Connects and checks the cluster answers. A single file is loaded explicitly; a path list (only
   * from the KUBECONFIG variable) is left to Fabric8's own KUBECONFIG handling.
   */
  static ExistingCluster connect(String kubeconfig) {
    Config config =
        kubeconfig.contains(File.pathSeparator)
            ? Config.autoConfigure(null)
            : Config.fromKubeconfig(new File(kubeconfig));
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    try {
      client.getKubernetesVersion();
    } catch (KubernetesClientException e) {
      client.close();
      throw new IllegalStateException(
          "cannot reach the cluster of KUBECONFIG=" + kubeconfig + ": " + e.getMessage(), e);
    }
    try {
      return new ExistingCluster(
          kubeconfig, client, Files.createTempDirectory("portico-kubectl-cache"));
    } catch (IOException e) {
      client.close();
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code -Dportico.e2e.kubectl}, else kubectl on PATH (matching the user's cluster), else the one
   * e2e/control-plane/build.sh builds.
   */
  private static Path kubectlBinary() {
    String configured = System.getProperty("portico.e2e.kubectl", "");
    if (!configured.isBlank()) {
      return Path.of(configured);
    }
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .filter(dir -> !dir.isBlank())
        .map(dir -> Path.of(dir, "kubectl"))
        .filter(Files::isExecutable)
        .findFirst()
        .orElseGet(() -> ControlPlaneBinaries.buildOrReuse().kubectl());
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
    return false;
  }

  @Override
  public String description() {
    return "existing cluster "
        + client.getMasterUrl()
        + " (Kubernetes "
        + client.getKubernetesVersion().getGitVersion()
        + ", KUBECONFIG="
        + kubeconfig
        + ")";
  }

  @Override
  public void close() {
    client.close();
    StaleProcessReaper.deleteRecursively(kubectlCache);
  }
}
