package dev.portico.operator.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.compiler.ObjectKey;
import dev.portico.compiler.ResourceBundle;
import dev.portico.manifest.ManifestReader;
import dev.portico.operator.admin.OperatorMetrics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The status pass of an object whose DataPlane gets a new snapshot waits for a connected replica's
 * answer (one status write with Accepted and Programmed, not two), and runs anyway after the hold
 * when no answer comes; with no replica connected it runs at once.
 */
class StatusHoldTest {
  private static final String DP = "infra/public";
  private static final ObjectKey ROUTE = new ObjectKey("GatewayRoute", "shop", "catalog");
  private static final ObjectKey REFUSED = new ObjectKey("GatewayRoute", "shop", "nowhere");
  private static final ObjectKey DATA_PLANE = new ObjectKey("DataPlane", "infra", "public");

  private final FakeReplicas replicas = new FakeReplicas();
  private final List<Set<ObjectKey>> notified = new CopyOnWriteArrayList<>();
  private final List<HasMetadata> objects = new ArrayList<>();
  private CompileLoop loop;

  @AfterEach
  void close() {
    if (loop != null) {
      loop.close();
    }
  }

  @Test
  void aConnectedReplicasAnswerRunsTheHeldPassOnce() throws Exception {
    start();
    replicas.connected = true;
    add(route("catalog", "public", "/catalog"));
    add(route("nowhere", "missing", "/nowhere"));
    loop.compileNow();

    // Refused (no DataPlane, so no answer is coming): at once. Attached, and the DataPlane: held.
    assertThat(notified).last().isEqualTo(Set.of(REFUSED));
    assertThat(loop.held(ROUTE)).isTrue();
    assertThat(loop.held(DATA_PLANE)).isTrue();

    replicas.running = loop.latest().orElseThrow().snapshots().get(DP).version();
    loop.programmedChanged(DP);
    assertThat(notified)
        .last()
        .asInstanceOf(InstanceOfAssertFactories.COLLECTION)
        .contains(ROUTE, DATA_PLANE);
    assertThat(loop.held(ROUTE)).isFalse();
    assertThat(loop.held(DATA_PLANE)).isFalse();

    int passes = notified.size();
    Thread.sleep(CompileLoop.ACK_HOLD.toMillis() + 500);
    assertThat(notified).as("the hold's end finds nothing left to run").hasSize(passes);
  }

  @Test
  void withoutAnAnswerTheHeldPassRunsAfterTheHold() throws Exception {
    start();
    replicas.connected = true;
    add(route("catalog", "public", "/catalog"));
    loop.compileNow();
    assertThat(loop.held(ROUTE)).isTrue();
    assertThat(notified.stream().anyMatch(keys -> keys.contains(ROUTE))).isFalse();

    long deadline = System.nanoTime() + 3 * CompileLoop.ACK_HOLD.toNanos();
    while (notified.stream().noneMatch(keys -> keys.contains(ROUTE))
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(notified.stream().anyMatch(keys -> keys.contains(ROUTE))).isTrue();
    assertThat(loop.held(ROUTE)).isFalse();
  }

  @Test
  void withNoReplicaConnectedNothingIsHeld() throws Exception {
    start();
    add(route("catalog", "public", "/catalog"));
    loop.compileNow();
    assertThat(notified)
        .last()
        .asInstanceOf(InstanceOfAssertFactories.COLLECTION)
        .contains(ROUTE, DATA_PLANE);
    assertThat(loop.held(ROUTE)).isFalse();
  }

  private void start() throws Exception {
    add(
        """
        apiVersion: portico.dev/v1alpha1
        kind: DataPlane
        metadata: {name: public, namespace: infra, uid: dp-1, generation: 1}
        spec:
          listeners: [{name: http, port: 80}]
          allowedRoutes: {from: All}
        """);
    add(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: app, namespace: shop, uid: svc-1, resourceVersion: "1"}
        spec: {ports: [{name: http, port: 80}]}
        """);
    loop = new CompileLoop(this::bundle, replicas, new OperatorMetrics(new SimpleMeterRegistry()));
    loop.onResult(notified::add);
    loop.compileNow(); // the DataPlane alone, nothing connected: not held
    notified.clear();
  }

  private static String route(String name, String dataPlane, String path) {
    return """
        apiVersion: portico.dev/v1alpha1
        kind: GatewayRoute
        metadata: {name: %s, namespace: shop, uid: route-%s, generation: 1}
        spec:
          parentRefs: [{name: %s, namespace: infra}]
          rules:
            - matches: [{path: {value: %s}}]
              backends: [{name: app, port: 80}]
        """
        .formatted(name, name, dataPlane, path);
  }

  private void add(String yaml) throws Exception {
    objects.addAll(
        new ManifestReader()
            .parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test"));
  }

  private ResourceBundle bundle() {
    return ManifestReader.bundle(new ArrayList<>(objects)).bundle();
  }
}
