package dev.portico.e2e.cluster;

import dev.portico.operator.workload.WorkloadNames;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a data-plane pod of one DataPlane mounts, written to files: the snapshot channel's CA, a
 * token of the DataPlane's ServiceAccount for audience {@code portico-operator}, and API
 * credentials as that ServiceAccount (so the replica has exactly the RBAC the operator granted it);
 * plus starting cluster-mode replica processes with them.
 *
 * @param lastGoodNamespace where the operator stores the DataPlane's last known good snapshot, as
 *     its Deployment tells the pods; null: the replicas are not told
 */
public record ReplicaCredentials(
    String namespace,
    String dataPlane,
    Path ca,
    Path token,
    Path kubeconfig,
    String lastGoodNamespace) {

  /**
   * Waits (up to {@code timeout}) for the ServiceAccount the operator makes for DataPlane {@code
   * namespace/dataPlane}, named {@code portico-<dataPlane>}, then writes its credentials.
   */
  public static ReplicaCredentials of(
      KubernetesClient client,
      Kubectl kubectl,
      String namespace,
      String dataPlane,
      String channelCaPem,
      Duration timeout)
      throws IOException {
    String serviceAccount = "portico-" + dataPlane;
    Poll.until(
        "ServiceAccount " + serviceAccount,
        timeout,
        () ->
            client.serviceAccounts().inNamespace(namespace).withName(serviceAccount).get() != null);
    Path dir = Files.createTempDirectory("portico-replica");
    Path ca = Files.writeString(dir.resolve("ca.crt"), channelCaPem);
    Path token =
        Files.writeString(
            dir.resolve("token"),
            PorticoProcess.audienceToken(client, namespace, serviceAccount, "portico-operator"));
    Path kubeconfig =
        PorticoProcess.serviceAccountKubeconfig(client, kubectl, namespace, serviceAccount);
    return new ReplicaCredentials(namespace, dataPlane, ca, token, kubeconfig, null);
  }

  /** Replicas told where the operator stores the last known good snapshot, as in a pod. */
  public ReplicaCredentials withLastGood(String operatorNamespace) {
    return new ReplicaCredentials(namespace, dataPlane, ca, token, kubeconfig, operatorNamespace);
  }

  /**
   * Starts replica {@code replica} in cluster mode against the channel on loopback port {@code
   * channelPort}, its listeners bound on {@code bind}; its log is {@code
   * e2e/target/process-logs/<processName>.log}.
   */
  public PorticoProcess start(
      String processName, String replica, int channelPort, String bind, String maxHeap)
      throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "cluster",
                "--dataplane",
                namespace + "/" + dataPlane,
                "--operator",
                "https://127.0.0.1:" + channelPort,
                "--operator-ca",
                ca.toString(),
                "--token-file",
                token.toString(),
                "--replica",
                replica,
                "--bind",
                bind));
    if (lastGoodNamespace != null) {
      args.addAll(
          List.of(
              "--last-good-namespace",
              lastGoodNamespace,
              "--last-good-name",
              WorkloadNames.lastGood(namespace + "/" + dataPlane)));
    }
    return PorticoProcess.dataPlane(processName, kubeconfig, args, "-Xmx" + maxHeap);
  }
}
