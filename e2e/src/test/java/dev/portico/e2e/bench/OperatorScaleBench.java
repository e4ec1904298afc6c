package dev.portico.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.api.route.GatewayRoute;
import dev.portico.e2e.cluster.KubeControlPlaneExtension;
import dev.portico.e2e.cluster.KubeE2E;
import dev.portico.e2e.cluster.Kubectl;
import dev.portico.e2e.cluster.Poll;
import dev.portico.e2e.cluster.PorticoProcess;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Benchmark, not a test (tag {@code bench}, run by {@code bench/operator.sh}): N GatewayRoutes
 * across 50 namespaces applied to the real API server as fast as 16 clients can, then the time
 * until the operator process has marked every one Accepted, its heap after a full GC, and its
 * compile count and time. Prints one line per size for bench/README.md.
 */
@KubeE2E
@Tag("bench")
class OperatorScaleBench {
  private static final int NAMESPACES = 50;
  private static final Pattern METRIC =
      Pattern.compile("(?m)^([a-z_]+)(\\{[^}]*\\})? ([0-9.eE+-]+)$");

  @ParameterizedTest
  @ValueSource(ints = {1000, 5000})
  void routesAcceptedAfterABurstOfApplies(int routes, KubernetesClient client, Kubectl kubectl)
      throws Exception {
    String run = "bench-" + routes;
    List<String> namespaces = new ArrayList<>();
    for (int i = 0; i < NAMESPACES; i++) {
      namespaces.add(namespace(client, "portico-" + run + "-" + i));
    }
    String infra = namespaces.get(0);
    apply(
        client,
        """
        apiVersion: portico.dev/v1alpha1
        kind: DataPlane
        metadata: {name: public, namespace: %s}
        spec:
          listeners: [{name: http, port: 8080}]
          allowedRoutes: {from: All}
        """
            .formatted(infra));
    for (String ns : namespaces) {
      apply(
          client,
          """
          apiVersion: v1
          kind: Service
          metadata: {name: catalog, namespace: %s}
          spec: {ports: [{name: http, port: 80, targetPort: 9000}]}
          """
              .formatted(ns));
    }
    Path kubeconfig = adminServiceAccount(client, kubectl, infra);

    Set<String> accepted = ConcurrentHashMap.newKeySet();
    SharedIndexInformer<GatewayRoute> watch =
        acceptedWatcher(client, "portico-" + run + "-", accepted);
    try (PorticoProcess operator =
        PorticoProcess.operator(
            "bench-operator-" + routes,
            kubeconfig,
            List.of("--no-leader-election", "--channel-port", "0", "--channel-namespace", infra),
            "-Xmx1g")) {
      operator.awaitReady(Duration.ofSeconds(60));

      long start = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<?>> applies = new ArrayList<>();
      for (int i = 0; i < routes; i++) {
        String ns = namespaces.get(i % NAMESPACES);
        int n = i;
        applies.add(pool.submit(() -> apply(client, route(ns, infra, n))));
      }
      for (Future<?> f : applies) {
        f.get();
      }
      pool.shutdown();
      long lastApply = System.nanoTime();
      Poll.until(
          routes + " routes Accepted",
          Duration.ofMinutes(5),
          () -> accepted.size() >= routes,
          () -> {},
          () -> accepted.size() + " accepted\n" + operator.logTail(20));
      long allAccepted = System.nanoTime();

      ProcessBuilder gc = new ProcessBuilder("jcmd", String.valueOf(operator.pid()), "GC.run");
      gc.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      gc.start().waitFor();
      String metrics = operator.admin("/metrics").body();
      double heap = sum(metrics, "jvm_memory_used_bytes", "area=\"heap\"");
      double compiles = sum(metrics, "portico_operator_compile_seconds_count", "");
      double compileSum = sum(metrics, "portico_operator_compile_seconds_sum", "");
      double compileMax = sum(metrics, "portico_operator_compile_seconds_max", "");
      double writes = sum(metrics, "portico_operator_status_writes_total", "kind=\"GatewayRoute\"");
      System.out.printf(
          "[bench] routes=%d namespaces=%d apply=%.1fs accepted_after_last_apply=%.2fs"
              + " heap_after_gc=%.0fMiB compiles=%.0f compile_avg=%.0fms compile_max=%.0fms"
              + " route_status_writes=%.0f%n",
          routes,
          NAMESPACES,
          (lastApply - start) / 1e9,
          (allAccepted - lastApply) / 1e9,
          heap / 1024 / 1024,
          compiles,
          compiles == 0 ? 0 : compileSum / compiles * 1000,
          compileMax * 1000,
          writes);
      assertThat(accepted).hasSize(routes);
    } finally {
      watch.close();
      client.rbac().clusterRoleBindings().withName("portico-bench-operator").delete();
      for (String ns : namespaces) {
        client.namespaces().withName(ns).delete();
      }
    }
  }

  /** Counts this run's routes (namespace prefix) that carry Accepted=True. */
  private static SharedIndexInformer<GatewayRoute> acceptedWatcher(
      KubernetesClient client, String namespacePrefix, Set<String> accepted) {
    return client
        .resources(GatewayRoute.class)
        .inAnyNamespace()
        .inform(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(GatewayRoute r) {
                check(r);
              }

              @Override
              public void onUpdate(GatewayRoute before, GatewayRoute r) {
                check(r);
              }

              @Override
              public void onDelete(GatewayRoute r, boolean unknown) {}

              private void check(GatewayRoute r) {
                if (!r.getMetadata().getNamespace().startsWith(namespacePrefix)
                    || r.getStatus() == null
                    || r.getStatus().conditions == null) {
                  return;
                }
                for (Condition c : r.getStatus().conditions) {
                  if (c.getType().equals("Accepted") && c.getStatus().equals("True")) {
                    accepted.add(r.getMetadata().getNamespace() + "/" + r.getMetadata().getName());
                  }
                }
              }
            });
  }

  /** The benchmark measures the operator, not RBAC: its ServiceAccount is cluster-admin. */
  private static Path adminServiceAccount(KubernetesClient client, Kubectl kubectl, String ns)
      throws Exception {
    client
        .serviceAccounts()
        .inNamespace(ns)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName("bench").endMetadata().build())
        .create();
    client
        .rbac()
        .clusterRoleBindings()
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName("portico-bench-operator")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "cluster-admin")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("bench")
                .withNamespace(ns)
                .endSubject()
                .build())
        .createOr(existing -> existing.update());
    return PorticoProcess.serviceAccountKubeconfig(client, kubectl, ns, "bench");
  }

  private static String route(String ns, String infra, int n) {
    return """
        apiVersion: portico.dev/v1alpha1
        kind: GatewayRoute
        metadata: {name: r%d, namespace: %s}
        spec:
          parentRefs: [{name: public, namespace: %s}]
          hostnames: [r%d.example.com]
          rules:
            - matches: [{path: {type: PathPrefix, value: /}}]
              backends: [{name: catalog, port: 80}]
        """
        .formatted(n, ns, infra, n);
  }

  private static String namespace(KubernetesClient client, String name) {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels(KubeControlPlaneExtension.E2E_LABEL, "true")
                .endMetadata()
                .build())
        .create();
    return name;
  }

  private static HasMetadata apply(KubernetesClient client, String yaml) {
    return client.resource((HasMetadata) Serialization.unmarshal(yaml)).create();
  }

  private static double sum(String metrics, String name, String labelFilter) {
    double total = 0;
    Matcher m = METRIC.matcher(metrics);
    while (m.find()) {
      if (m.group(1).equals(name) && (m.group(2) == null ? "" : m.group(2)).contains(labelFilter)) {
        total += Double.parseDouble(m.group(3));
      }
    }
    return total;
  }
}
