package dev.portico.e2e;

import dev.portico.api.route.GatewayRoute;
import dev.portico.e2e.cluster.KubeControlPlaneExtension;
import dev.portico.e2e.cluster.Poll;
import dev.portico.operator.OperatorOptions;
import dev.portico.operator.PorticoOperator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An in-process operator watching only the namespaces a test owns, plus helpers to apply YAML and
 * read conditions. Closing it stops the operator and deletes the extra namespaces. Not final:
 * {@link ClusterFixture} adds the cluster path's pieces while tests keep calling these helpers on
 * it.
 */
class OperatorFixture implements AutoCloseable {
  static final Duration CONVERGE = Duration.ofSeconds(30);
  private static final SecureRandom RANDOM = new SecureRandom();

  final KubernetesClient client;
  private final List<String> extraNamespaces = new ArrayList<>();
  private PorticoOperator operator;

  OperatorFixture(KubernetesClient client) {
    this.client = client;
  }

  /** A fresh namespace with the suite's label; deleted on close. */
  String namespace(String prefix, String... labels) {
    String name = "portico-e2e-" + prefix + "-" + Integer.toHexString(RANDOM.nextInt(0x10000));
    var builder =
        new NamespaceBuilder()
            .withNewMetadata()
            .withName(name)
            .addToLabels(KubeControlPlaneExtension.E2E_LABEL, "true");
    for (int i = 0; i + 1 < labels.length; i += 2) {
      builder.addToLabels(labels[i], labels[i + 1]);
    }
    client.namespaces().resource(builder.endMetadata().build()).create();
    extraNamespaces.add(name);
    return name;
  }

  /** Stops the running operator and starts a new one on the same namespaces. */
  PorticoOperator restart(Set<String> namespaces) throws Exception {
    operator.close();
    return start(namespaces);
  }

  PorticoOperator start(Set<String> namespaces) throws Exception {
    return start(namespaces, false);
  }

  /** With {@code channel}, the snapshot channel listens on a free loopback port. */
  PorticoOperator start(Set<String> namespaces, boolean channel) throws Exception {
    OperatorOptions options = OperatorOptions.forTests().withWatchNamespaces(namespaces);
    return start(channel ? options.withChannel(0) : options);
  }

  PorticoOperator start(OperatorOptions options) throws Exception {
    operator = new PorticoOperator(client, options, new SimpleMeterRegistry());
    operator.start();
    return operator;
  }

  /** Stops the running operator and starts none: for tests of what happens while it is gone. */
  void stop() {
    operator.close();
    operator = null;
  }

  HasMetadata apply(String yaml) {
    HasMetadata object = (HasMetadata) Serialization.unmarshal(yaml);
    return client.resource(object).serverSideApply();
  }

  GatewayRoute route(String namespace, String name) {
    return client.resources(GatewayRoute.class).inNamespace(namespace).withName(name).get();
  }

  static Condition condition(List<Condition> conditions, String type) {
    return conditions == null
        ? null
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  /** Waits until the route's condition has the status (and reason, when given). */
  GatewayRoute awaitRoute(
      String namespace, String name, String type, String status, String reason) {
    Poll.until(
        "GatewayRoute " + namespace + "/" + name + " " + type + "=" + status + " " + reason,
        CONVERGE,
        () -> {
          GatewayRoute r = route(namespace, name);
          Condition c =
              r == null || r.getStatus() == null ? null : condition(r.getStatus().conditions, type);
          if (c == null) {
            throw new IllegalStateException("no " + type + " condition yet");
          }
          if (!status.equals(c.getStatus()) || (reason != null && !reason.equals(c.getReason()))) {
            throw new IllegalStateException(
                c.getStatus() + "/" + c.getReason() + ": " + c.getMessage());
          }
          return r.getStatus().observedGeneration.equals(r.getMetadata().getGeneration());
        });
    return route(namespace, name);
  }

  @Override
  public void close() {
    if (operator != null) {
      operator.close();
    }
    for (String ns : extraNamespaces) {
      client.namespaces().withName(ns).delete();
    }
  }
}
