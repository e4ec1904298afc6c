package dev.portico.e2e.cluster;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives e2e tests a real Kubernetes API: one cluster per JVM, shared by every test class, and a
 * fresh namespace per test. Without KUBECONFIG it starts {@link LocalControlPlane} (etcd,
 * kube-apiserver, kube-controller-manager on loopback) and stops it when the test run ends; with
 * KUBECONFIG (or {@code -Dportico.e2e.kubeconfig}) it uses that cluster. Either way the Portico
 * CRDs from {@code crds/} are applied and Established before the first test.
 *
 * <p>Test methods may declare parameters of type {@link KubernetesClient}, {@link Kubectl}, {@link
 * KubeCluster} and {@link TestNamespace}.
 */
public final class KubeControlPlaneExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
  /** Label on every namespace the suite creates, so leftovers are easy to find and delete. */
  public static final String E2E_LABEL = "portico.dev/e2e";

  static final String NAMESPACE_PREFIX = "portico-e2e-";
  private static final String REFERENCE_GRANT_CRD =
      "/crds/referencegrants.gateway.networking.k8s.io.yaml";
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(KubeControlPlaneExtension.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster(context); // start (or fail) once, before any test of the class
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    KubernetesClient client = cluster(context).client();
    Namespace namespace =
        new NamespaceBuilder()
            .withNewMetadata()
            .withName(NAMESPACE_PREFIX + randomSuffix())
            .addToLabels(E2E_LABEL, "true")
            .addToAnnotations(
                "portico.dev/e2e-test",
                context.getRequiredTestClass().getSimpleName() + " " + context.getDisplayName())
            .endMetadata()
            .build();
    client.namespaces().resource(namespace).create();
    context
        .getStore(STORE)
        .put(TestNamespace.class, new TestNamespace(namespace.getMetadata().getName()));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestNamespace namespace =
        context.getStore(STORE).remove(TestNamespace.class, TestNamespace.class);
    if (namespace != null) {
      // Not awaited: the namespace controller empties it in the background.
      cluster(context).client().namespaces().withName(namespace.name()).delete();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KubernetesClient.class
        || type == Kubectl.class
        || type == KubeCluster.class
        || type == TestNamespace.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    KubeCluster cluster = cluster(context);
    if (type == KubernetesClient.class) {
      return cluster.client();
    }
    if (type == Kubectl.class) {
      return cluster.kubectl();
    }
    if (type == KubeCluster.class) {
      return cluster;
    }
    return Optional.ofNullable(
            context.getStore(STORE).get(TestNamespace.class, TestNamespace.class))
        .orElseThrow(
            () -> new IllegalStateException("a TestNamespace exists only in test methods"));
  }

  private static KubeCluster cluster(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(STORE)
        .getOrComputeIfAbsent(SharedCluster.class, k -> new SharedCluster(), SharedCluster.class)
        .get();
  }

  private static String randomSuffix() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder suffix = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      suffix.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return suffix.toString();
  }

  /**
   * The JVM-wide cluster, held in the root store so JUnit closes it after the last test class. A
   * shutdown hook covers JVMs that end otherwise (surefire's timeout, Ctrl-C). A failed start is
   * remembered, so later classes fail at once with the same cause instead of retrying.
   */
  private static final class SharedCluster implements AutoCloseable {
    private KubeCluster cluster;
    private RuntimeException startupFailure;
    private Thread shutdownHook;

    synchronized KubeCluster get() {
      if (startupFailure != null) {
        throw new IllegalStateException("the e2e cluster failed to start earlier", startupFailure);
      }
      if (cluster == null) {
        try {
          cluster = start();
        } catch (RuntimeException e) {
          startupFailure = e;
          throw e;
        }
      }
      return cluster;
    }

    private KubeCluster start() {
      StartupTimings timings = new StartupTimings();
      Optional<String> kubeconfig = ExistingCluster.configuredKubeconfig();
      KubeCluster started;
      if (kubeconfig.isPresent()) {
        started = ExistingCluster.connect(kubeconfig.get());
        timings.phase("connect");
        try {
          installCrds(started.client());
        } catch (RuntimeException e) {
          started.close();
          throw e;
        }
        timings.phase("CRDs established");
      } else {
        started = LocalControlPlane.start(timings, SharedCluster::installCrds);
      }
      shutdownHook = new Thread(started::close, "portico-e2e-cluster-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
      System.out.println("[e2e] " + started.description());
      System.out.println("[e2e] ready in " + timings);
      return started;
    }

    /**
     * Ours are always applied: they are what is under test. The ReferenceGrant CRD only when
     * missing, so a cluster's own Gateway API install is never replaced.
     */
    private static void installCrds(KubernetesClient client) {
      CrdInstaller.install(client, Project.porticoCrds(), false);
      CrdInstaller.install(client, List.of(referenceGrantCrd()), true);
    }

    private static Path referenceGrantCrd() {
      try {
        return Path.of(KubeControlPlaneExtension.class.getResource(REFERENCE_GRANT_CRD).toURI());
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public synchronized void close() {
      if (cluster != null) {
        cluster.close();
        cluster = null;
        try {
          Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
          // the hook is running or has run; close() is idempotent
        }
      }
    }
  }
}
