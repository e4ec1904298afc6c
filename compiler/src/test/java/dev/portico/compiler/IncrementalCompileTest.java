package dev.portico.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.compiler.tls.TestCertificates;
import dev.portico.compiler.tls.TestCertificates.KeyFormat;
import dev.portico.manifest.ManifestReader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * A compiler that remembers the previous compile ({@link RouteMemo}) must give exactly what a fresh
 * compiler gives: on every golden case compiled twice, and after every step of long random edit
 * sequences over a cluster-like set of objects that carry uids and versions like informer objects.
 */
class IncrementalCompileTest {
  @TestFactory
  List<DynamicTest> aSecondCompileOfTheSameObjectsGivesTheGoldenResult() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : GoldenTest.cases()) {
      tests.add(
          DynamicTest.dynamicTest(
              name,
              () -> {
                ResourceBundle bundle =
                    new ManifestReader().read(GoldenTest.DIR.resolve(name + ".in.yaml")).bundle();
                Compiler compiler = new Compiler();
                String first = GoldenTest.render(compiler.compile(bundle));
                String second = GoldenTest.render(compiler.compile(bundle)); // all from the memo
                assertThat(second).isEqualTo(first);
              }));
    }
    return tests;
  }

  @Test
  void randomEditSequencesCompileAsFreshCompilesDo() throws Exception {
    for (long seed = 1; seed <= 6; seed++) {
      Cluster cluster = new Cluster(new Random(seed));
      Compiler incremental = new Compiler();
      CompileResult previous = incremental.compile(cluster.bundle());
      int deltas = 0;
      for (int step = 0; step < 150; step++) {
        String edit = cluster.randomEdit();
        ResourceBundle bundle = cluster.bundle();
        String expected = GoldenTest.render(new Compiler().compile(bundle));
        CompileResult result = incremental.compile(bundle);
        assertThat(GoldenTest.render(result))
            .as("seed %d step %d after %s", seed, step, edit)
            .isEqualTo(expected);
        assertChanges(previous, result, "seed %d step %d after %s".formatted(seed, step, edit));
        previous = result;
        deltas += incremental.lastWasDelta() ? 1 : 0;
      }
      // Route-only steps without conflicts or Secrets are deltas (RouteDeltaCompile): some here.
      assertThat(deltas).as("route deltas, seed %d", seed).isPositive();
    }
  }

  /** A result's changed and removed keys are exactly what differs from the previous result. */
  static void assertChanges(CompileResult before, CompileResult after, String step) {
    SortedSet<ObjectKey> changed = new TreeSet<>();
    after
        .verdicts()
        .forEach(
            (key, v) -> {
              if (!v.equals(before.verdict(key))) {
                changed.add(key);
              }
            });
    SortedSet<ObjectKey> removed = new TreeSet<>(before.verdicts().keySet());
    removed.removeAll(after.verdicts().keySet());
    assertThat(after.changed()).as(step).isEqualTo(changed);
    assertThat(after.removed()).as(step).isEqualTo(removed);
  }

  /**
   * Hundreds of routes on three hosts: most steps change a few claims among many, so the virtual
   * hosts are patched (claims inserted and left out) rather than sorted again.
   */
  @Test
  void editsAmongManyRoutesOnAFewHostsCompileAsFreshCompilesDo() throws Exception {
    for (long seed = 11; seed <= 12; seed++) {
      Cluster cluster = new Cluster(new Random(seed), 200);
      Compiler incremental = new Compiler();
      int deltas = 0;
      for (int step = 0; step < 60; step++) {
        String edit = cluster.randomEdit();
        ResourceBundle bundle = cluster.bundle();
        String expected = GoldenTest.render(new Compiler().compile(bundle));
        assertThat(GoldenTest.render(incremental.compile(bundle)))
            .as("seed %d step %d after %s", seed, step, edit)
            .isEqualTo(expected);
        deltas += incremental.lastWasDelta() ? 1 : 0;
      }
      assertThat(deltas).as("route deltas, seed %d", seed).isPositive();
    }
  }

  @Test
  void aDataPlaneStatusWriteKeepsTheMemoButASpecChangeDoesNot() throws Exception {
    Cluster cluster = new Cluster(new Random(7));
    Compiler compiler = new Compiler();
    compiler.compile(cluster.bundle());
    GatewayRouteProbe probe = GatewayRouteProbe.of(cluster);
    cluster.put(cluster.dataPlane("edge", 1, "All")); // same generation: a status write
    compiler.compile(cluster.bundle());
    assertThat(probe.restoredIn(compiler, cluster)).isTrue();
    cluster.put(cluster.dataPlane("edge", 2, "Same")); // a spec change
    assertThat(probe.restoredIn(compiler, cluster)).isFalse();
  }

  /** Whether a compile of the cluster would reuse the memo entry of one unchanged route. */
  private record GatewayRouteProbe(String key) {
    static GatewayRouteProbe of(Cluster cluster) {
      return new GatewayRouteProbe(
          cluster.objects.keySet().stream()
              .filter(k -> k.startsWith("GatewayRoute/"))
              .findFirst()
              .orElseThrow());
    }

    boolean restoredIn(Compiler compiler, Cluster cluster) throws Exception {
      ResourceBundle bundle = cluster.bundle();
      RouteMemo memo = compiler.memo();
      memo.begin(bundle);
      return memo.lookup((dev.portico.api.route.GatewayRoute) cluster.objects.get(key)) != null;
    }
  }

  /** Objects as an informer cache holds them: an edit replaces one instance, with a new version. */
  static final class Cluster {
    private static final String[] NAMESPACES = {"team-a", "team-b", "platform"};
    private static final String[] HOSTS = {"api.example.com", "*.example.com", "shop.example.com"};

    /** What Secret edge-cert may hold: two valid certificates, and a key of another one. */
    private static final List<TestCertificates.Issued> MATERIALS =
        List.of(
            TestCertificates.rsa("shop.example.com", KeyFormat.TRADITIONAL),
            TestCertificates.ec("shop.example.com", KeyFormat.PKCS8),
            new TestCertificates.Issued(
                TestCertificates.ec("shop.example.com", KeyFormat.PKCS8).certificatePem(),
                TestCertificates.ec("shop.example.com", KeyFormat.TRADITIONAL).keyPem()));

    private final Random random;
    final Map<String, HasMetadata> objects = new LinkedHashMap<>();
    private int version = 1;
    private int uid = 1;
    private int routes;
    private int dataPlaneGeneration = 1;
    private String dataPlaneFrom = "All";

    Cluster(Random random) throws Exception {
      this(random, 25);
    }

    Cluster(Random random, int initialRoutes) throws Exception {
      this.random = random;
      put(dataPlane("edge", 1, "All"));
      put(secret(MATERIALS.get(0)));
      for (String ns : NAMESPACES) {
        put(namespace(ns, "tier-" + random.nextInt(2)));
        for (int s = 0; s < 3; s++) {
          put(service(ns, "svc-" + s, 80 + random.nextInt(2)));
        }
      }
      for (int i = 0; i < initialRoutes; i++) {
        put(route("r" + routes++));
      }
    }

    ResourceBundle bundle() {
      return ManifestReader.bundle(new ArrayList<>(objects.values())).bundle();
    }

    void put(HasMetadata o) {
      objects.put(
          o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName(), o);
    }

    String randomEdit() throws Exception {
      int kind = random.nextInt(100);
      if (kind < 30) {
        String name = "r" + routes++;
        put(route(name));
        return "add route " + name;
      }
      List<String> routeKeys =
          objects.keySet().stream().filter(k -> k.startsWith("GatewayRoute/")).toList();
      if (kind < 45 && !routeKeys.isEmpty()) {
        String key = routeKeys.get(random.nextInt(routeKeys.size()));
        objects.remove(key);
        return "delete " + key;
      }
      if (kind < 75 && !routeKeys.isEmpty()) {
        String key = routeKeys.get(random.nextInt(routeKeys.size()));
        HasMetadata old = objects.get(key);
        put(
            route(
                old.getMetadata().getName(),
                old.getMetadata().getNamespace(),
                old.getMetadata().getCreationTimestamp(),
                old.getMetadata().getUid()));
        return "edit " + key;
      }
      if (kind < 80) {
        // The API server bumps the generation on every spec change, never on a status write.
        if (random.nextBoolean()) {
          put(dataPlane("edge", dataPlaneGeneration, dataPlaneFrom));
          return "dataplane status write";
        }
        dataPlaneFrom = random.nextBoolean() ? "All" : "Selector";
        put(dataPlane("edge", ++dataPlaneGeneration, dataPlaneFrom));
        return "dataplane spec " + dataPlaneFrom;
      }
      if (kind < 85) {
        String ns = NAMESPACES[random.nextInt(NAMESPACES.length)];
        put(namespace(ns, "tier-" + random.nextInt(2)));
        return "namespace labels " + ns;
      }
      if (kind < 92) {
        String ns = NAMESPACES[random.nextInt(NAMESPACES.length)];
        String name = "svc-" + random.nextInt(4);
        if (random.nextInt(4) == 0) {
          objects.remove("Service/" + ns + "/" + name);
          return "delete service " + ns + "/" + name;
        }
        put(service(ns, name, 80 + random.nextInt(2)));
        return "service " + ns + "/" + name;
      }
      if (kind < 96) {
        String key = "ReferenceGrant/platform/allow";
        if (objects.remove(key) == null) {
          put(grant());
        }
        return "grant toggled";
      }
      if (kind < 98) {
        int which = random.nextInt(MATERIALS.size() + 1);
        if (which == MATERIALS.size()) {
          objects.remove("Secret/platform/edge-cert");
          return "delete secret";
        }
        put(secret(MATERIALS.get(which)));
        return "secret holds material " + which;
      }
      List<String> candidates =
          objects.keySet().stream().filter(k -> k.startsWith("GatewayRoute/team-a/")).toList();
      if (!candidates.isEmpty()) {
        String target = candidates.get(random.nextInt(candidates.size())).split("/")[2];
        put(policy(target));
        return "policy on " + target;
      }
      return "nothing";
    }

    HasMetadata dataPlane(String name, int generation, String from) throws Exception {
      return one(
          """
          apiVersion: portico.dev/v1alpha1
          kind: DataPlane
          metadata: {name: %s, namespace: platform, uid: dp-%s, generation: %d, resourceVersion: "%d",
            creationTimestamp: "2026-01-01T00:00:00Z"}
          spec:
            listeners: [{name: http, port: 80}, {name: admin, port: 81, hostname: "*.example.com"},
              {name: tls, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: edge-cert}]}}]
            allowedRoutes: {from: %s%s}
          """
              .formatted(
                  name,
                  name,
                  generation,
                  version++,
                  from,
                  from.equals("Selector")
                      ? ", selector: {matchLabels: {tier: tier-" + (generation % 2) + "}}"
                      : ""));
    }

    HasMetadata secret(TestCertificates.Issued material) throws Exception {
      return one(
          """
          apiVersion: v1
          kind: Secret
          metadata: {name: edge-cert, namespace: platform, uid: secret-1, resourceVersion: "%d"}
          type: kubernetes.io/tls
          data: {tls.crt: %s, tls.key: %s}
          """
              .formatted(
                  version++,
                  Base64.getEncoder().encodeToString(material.certificate()),
                  Base64.getEncoder().encodeToString(material.key())));
    }

    HasMetadata namespace(String name, String tier) throws Exception {
      return one(
          """
          apiVersion: v1
          kind: Namespace
          metadata: {name: %s, uid: ns-%s, resourceVersion: "%d", labels: {tier: %s}}
          """
              .formatted(name, name, version++, tier));
    }

    HasMetadata service(String ns, String name, int port) throws Exception {
      return one(
          """
          apiVersion: v1
          kind: Service
          metadata: {name: %s, namespace: %s, uid: svc-%d, resourceVersion: "%d"}
          spec: {ports: [{name: http, port: %d, targetPort: 8080}]}
          """
              .formatted(name, ns, uid++, version++, port));
    }

    HasMetadata grant() throws Exception {
      return one(
          """
          apiVersion: gateway.networking.k8s.io/v1beta1
          kind: ReferenceGrant
          metadata: {name: allow, namespace: platform, uid: grant-%d, resourceVersion: "%d"}
          spec:
            from: [{group: portico.dev, kind: GatewayRoute, namespace: team-a}]
            to: [{group: "", kind: Service}]
          """
              .formatted(uid++, version++));
    }

    HasMetadata policy(String route) throws Exception {
      return one(
          """
          apiVersion: portico.dev/v1alpha1
          kind: RateLimitPolicy
          metadata: {name: limit-%s, namespace: team-a, uid: rlp-%d, generation: 1,
            resourceVersion: "%d", creationTimestamp: "2026-01-02T00:00:00Z"}
          spec:
            targetRef: {kind: GatewayRoute, name: %s}
            limits: [{name: per-client, requests: %d, window: Minute, key: {type: ClientAddress}}]
          """
              .formatted(route, uid++, version++, route, 10 + random.nextInt(90)));
    }

    HasMetadata route(String name) throws Exception {
      String ns = NAMESPACES[random.nextInt(2)];
      String created = "2026-01-01T00:%02d:00Z".formatted(random.nextInt(60));
      return route(name, ns, created, "route-" + uid++);
    }

    /** A route whose paths and hosts collide often, so conflicts come and go. */
    HasMetadata route(String name, String ns, String created, String routeUid) throws Exception {
      String host = HOSTS[random.nextInt(HOSTS.length)];
      String listener = random.nextInt(4) == 0 ? ", listenerName: admin" : "";
      String backendNs = random.nextInt(5) == 0 ? ", namespace: platform" : "";
      return one(
          """
          apiVersion: portico.dev/v1alpha1
          kind: GatewayRoute
          metadata: {name: %s, namespace: %s, uid: %s, generation: 1, resourceVersion: "%d",
            creationTimestamp: "%s"}
          spec:
            parentRefs: [{name: edge, namespace: platform%s}]
            hostnames: ["%s"]
            rules:
              - matches: [{path: {type: PathPrefix, value: "/p%d"}}]
                backends: [{name: svc-%d, port: %d%s}]
              - matches: [{path: {type: Exact, value: "/e%d"}, method: GET}]
                backends: [{name: svc-%d, port: 80}]
          """
              .formatted(
                  name,
                  ns,
                  routeUid,
                  version++,
                  created,
                  listener,
                  host,
                  random.nextInt(6),
                  random.nextInt(4),
                  80 + random.nextInt(2),
                  backendNs,
                  random.nextInt(4),
                  random.nextInt(3)));
    }

    private static HasMetadata one(String yaml) throws Exception {
      List<HasMetadata> parsed =
          new ManifestReader()
              .parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test");
      return parsed.get(0);
    }
  }
}
