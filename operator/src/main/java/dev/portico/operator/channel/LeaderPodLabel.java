package dev.portico.operator.channel;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Points the data planes' channel Service at the leader: the leader's pod carries {@value #LABEL}
 * and the Service {@code portico-operator-channel} selects on it. Acknowledgements then reach the
 * replica that writes status. A container restart keeps its pod's labels, so every replica drops
 * the label at start, and a new leader takes it from any other pod that still has it.
 */
public final class LeaderPodLabel {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderPodLabel.class);
  public static final String LABEL = "portico.dev/channel-leader";

  private final KubernetesClient client;
  private final String namespace;
  private final String pod;

  public LeaderPodLabel(KubernetesClient client, String namespace, String pod) {
    this.client = client;
    this.namespace = namespace;
    this.pod = pod;
  }

  /** At start, before the election: this replica is not the leader yet. */
  public void release() {
    set(pod, false);
  }

  /** On becoming leader: only this pod carries the label. */
  public void claim() {
    try {
      for (Pod other :
          client.pods().inNamespace(namespace).withLabel(LABEL, "true").list().getItems()) {
        if (!other.getMetadata().getName().equals(pod)) {
          set(other.getMetadata().getName(), false);
        }
      }
    } catch (KubernetesClientException e) {
      LOG.warn("cannot list pods labelled {} in {}: {}", LABEL, namespace, e.getMessage());
    }
    set(pod, true);
  }

  private void set(String name, boolean leader) {
    try {
      client
          .pods()
          .inNamespace(namespace)
          .withName(name)
          .edit(
              p ->
                  leader
                      ? new PodBuilder(p)
                          .editMetadata()
                          .addToLabels(LABEL, "true")
                          .endMetadata()
                          .build()
                      : new PodBuilder(p)
                          .editMetadata()
                          .removeFromLabels(LABEL)
                          .endMetadata()
                          .build());
      LOG.info(
          "{} pod {}/{} as the channel leader",
          leader ? "labelled" : "unlabelled",
          namespace,
          name);
    } catch (KubernetesClientException e) {
      // Outside a pod (a local run) there is nothing to label; in a pod, RBAC is missing.
      LOG.warn(
          "cannot {} pod {}/{}: {}", leader ? "label" : "unlabel", namespace, name, e.getMessage());
    }
  }
}
