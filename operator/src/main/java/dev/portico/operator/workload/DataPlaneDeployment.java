package dev.portico.operator.workload;

import dev.portico.api.dataplane.DataPlane;
import dev.portico.api.dataplane.Listener;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SysctlBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The data-plane Deployment of a DataPlane: non-root, read-only root filesystem, no capabilities,
 * probes on the admin port. Owned by the DataPlane, so deleting it removes the pods.
 */
public final class DataPlaneDeployment
    extends CRUDKubernetesDependentResource<Deployment, DataPlane> {
  public static final int ADMIN_PORT = 9901;
  static final int NON_ROOT_UID = 65532;

  static final String CHANNEL_DIR = "/etc/portico/channel";
  static final String TOKEN_DIR = "/var/run/secrets/portico";

  private final String defaultImage;
  private final String operatorAddress;
  private final String lastGoodNamespace;

  /**
   * @param lastGoodNamespace where the operator stores last known good snapshots (its own
   *     namespace); null when it stores none
   */
  public DataPlaneDeployment(
      String defaultImage, String operatorAddress, String lastGoodNamespace) {
    super(Deployment.class);
    this.defaultImage = defaultImage;
    this.operatorAddress = operatorAddress;
    this.lastGoodNamespace = lastGoodNamespace;
  }

  @Override
  protected InformerEventSourceConfiguration.Builder<Deployment> informerConfigurationBuilder(
      EventSourceContext<DataPlane> context) {
    return ManagedInformers.managedOnly(Deployment.class, context);
  }

  @Override
  protected Deployment desired(DataPlane dp, Context<DataPlane> context) {
    String id = dp.getMetadata().getNamespace() + "/" + dp.getMetadata().getName();
    String image =
        dp.getSpec().image == null || dp.getSpec().image.isBlank()
            ? defaultImage
            : dp.getSpec().image;
    int replicas = dp.getSpec().replicas == null ? 2 : dp.getSpec().replicas;
    boolean lowPorts =
        dp.getSpec().listeners.stream().anyMatch(l -> l.port != null && l.port < 1024);
    var podSecurity =
        new PodSecurityContextBuilder()
            .withRunAsNonRoot(true)
            .withRunAsUser((long) NON_ROOT_UID)
            .withRunAsGroup((long) NON_ROOT_UID)
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile();
    if (lowPorts) {
      // Lets the non-root process bind ports below 1024 without NET_BIND_SERVICE; this sysctl is
      // namespaced and allowed by the restricted Pod Security Standard.
      podSecurity.withSysctls(
          new SysctlBuilder()
              .withName("net.ipv4.ip_unprivileged_port_start")
              .withValue("0")
              .build());
    }
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(WorkloadNames.workload(dp))
        .withNamespace(dp.getMetadata().getNamespace())
        .withLabels(WorkloadNames.labels(dp))
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .withMatchLabels(WorkloadNames.selector(dp))
        .endSelector()
        .withNewStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxUnavailable(new IntOrString(0))
        .withMaxSurge(new IntOrString(1))
        .endRollingUpdate()
        .endStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(WorkloadNames.labels(dp))
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(WorkloadNames.workload(dp))
        .withSecurityContext(podSecurity.build())
        .withTerminationGracePeriodSeconds(30L)
        .addNewContainer()
        .withName("dataplane")
        .withImage(image)
        .withArgs(args(dp, id))
        .withEnv(env(id))
        .withPorts(ports(dp.getSpec().listeners))
        .withReadinessProbe(probe("/readyz", 1))
        .withLivenessProbe(probe("/healthz", 3))
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .withNewResources()
        .withRequests(Map.of("cpu", new Quantity("250m"), "memory", new Quantity("256Mi")))
        .withLimits(Map.of("memory", new Quantity("512Mi")))
        .endResources()
        .addNewVolumeMount()
        .withName("tmp")
        .withMountPath("/tmp")
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("channel")
        .withMountPath(CHANNEL_DIR)
        .withReadOnly(true)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("token")
        .withMountPath(TOKEN_DIR)
        .withReadOnly(true)
        .endVolumeMount()
        .endContainer()
        .addNewVolume()
        .withName("tmp")
        .withNewEmptyDir()
        .withSizeLimit(new Quantity("64Mi"))
        .endEmptyDir()
        .endVolume()
        .addNewVolume()
        .withName("channel")
        .withNewConfigMap()
        .withName(WorkloadNames.channelConfig(dp))
        .endConfigMap()
        .endVolume()
        // A token only the operator's channel accepts (audience), rotated by the kubelet: the
        // replicas' credential, never written into a Secret.
        .addNewVolume()
        .withName("token")
        .withNewProjected()
        .addNewSource()
        .withNewServiceAccountToken()
        .withAudience("portico-operator")
        .withExpirationSeconds(3600L)
        .withPath("token")
        .endServiceAccountToken()
        .endSource()
        .endProjected()
        .endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private List<String> args(DataPlane dp, String id) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "cluster",
                "--dataplane",
                id,
                "--operator",
                operatorAddress,
                "--operator-ca",
                CHANNEL_DIR + "/" + DataPlaneChannelConfig.CA_KEY,
                "--token-file",
                TOKEN_DIR + "/token",
                "--admin-port",
                String.valueOf(ADMIN_PORT)));
    if (lastGoodNamespace != null) {
      // Read only when the operator cannot be reached at start: see DataPlaneLastGoodRole.
      args.addAll(
          List.of(
              "--last-good-namespace",
              lastGoodNamespace,
              "--last-good-name",
              WorkloadNames.lastGood(dp)));
    }
    return args;
  }

  private List<EnvVar> env(String id) {
    return List.of(
        new EnvVarBuilder().withName("PORTICO_DATAPLANE").withValue(id).build(),
        new EnvVarBuilder()
            .withName("POD_NAME")
            .withNewValueFrom()
            // The API server defaults apiVersion; leaving it out made every reconcile see a diff
            // and re-apply the Deployment (two applies per route edit, each ack reconciles).
            .withNewFieldRef()
            .withApiVersion("v1")
            .withFieldPath("metadata.name")
            .endFieldRef()
            .endValueFrom()
            .build(),
        new EnvVarBuilder().withName("PORTICO_OPERATOR_ADDRESS").withValue(operatorAddress).build(),
        new EnvVarBuilder()
            .withName("JAVA_TOOL_OPTIONS")
            .withValue("-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError")
            .build());
  }

  private static List<ContainerPort> ports(List<Listener> listeners) {
    List<ContainerPort> ports = new ArrayList<>();
    for (Listener l : listeners) {
      ports.add(
          new ContainerPortBuilder()
              .withName(portName(l))
              .withContainerPort(l.port)
              .withProtocol("TCP")
              .build());
    }
    ports.add(
        new ContainerPortBuilder()
            .withName("admin")
            .withContainerPort(ADMIN_PORT)
            .withProtocol("TCP")
            .build());
    return ports;
  }

  /** Port names are IANA service names: at most 15 characters; the port number is unique. */
  static String portName(Listener l) {
    String n = l.name;
    boolean ianaName =
        n != null
            && n.length() <= 15
            && n.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")
            && n.matches(".*[a-z].*")
            && !n.contains("--")
            && !n.equals("admin");
    return ianaName ? n : "l-" + l.port;
  }

  private static Probe probe(String path, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString("admin"))
        .endHttpGet()
        .withPeriodSeconds(5)
        .withFailureThreshold(failureThreshold)
        .build();
  }
}
