package dev.portico.operator.workload;

import dev.portico.api.dataplane.DataPlane;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import java.util.Set;

/** Workload informers see only the objects the operator made, not every Deployment around. */
final class ManagedInformers {
  private ManagedInformers() {}

  static <R extends HasMetadata> InformerEventSourceConfiguration.Builder<R> managedOnly(
      Class<R> type, EventSourceContext<DataPlane> context) {
    return InformerEventSourceConfiguration.from(type, context.getPrimaryResourceClass())
        .withLabelSelector(WorkloadNames.MANAGED_SELECTOR);
  }

  /**
   * For objects in one fixed namespace (the operator's), whatever namespaces the DataPlanes are
   * watched in.
   */
  static <R extends HasMetadata> InformerEventSourceConfiguration.Builder<R> inNamespace(
      Class<R> type, EventSourceContext<DataPlane> context, String namespace) {
    return managedOnly(type, context)
        .withNamespaces(Set.of(namespace))
        .withFollowControllerNamespacesChanges(false);
  }
}
