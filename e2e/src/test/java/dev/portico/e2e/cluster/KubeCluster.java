package dev.portico.e2e.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The cluster an e2e test runs against: a throwaway control plane this JVM started, or an existing
 * cluster named by {@code KUBECONFIG}.
 */
public interface KubeCluster extends AutoCloseable {
  /** A client with cluster-admin rights; shared, do not close it. */
  KubernetesClient client();

  /** kubectl configured for this cluster. */
  Kubectl kubectl();

  /** True for the throwaway control plane, where the suite owns every object in the cluster. */
  boolean isLocal();

  /** One line for logs: what the cluster is and where it listens. */
  String description();

  @Override
  void close();
}
