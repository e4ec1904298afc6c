package dev.portico.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.manifest.ManifestReader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A change of a few routes that reaches no other object compiles as a delta ({@link
 * RouteDeltaCompile}) and gives what a fresh compile gives; a change that reaches further is a
 * whole compile, with the same result.
 */
class RouteDeltaCompileTest {
  private final Map<String, HasMetadata> objects = new LinkedHashMap<>();
  private final Random random = new Random(42);
  private int version = 1;
  private int paths;

  @Test
  void plainRouteEditsAmongManyRoutesAreDeltasThatCompileAsFreshCompilesDo() throws Exception {
    base();
    for (int i = 0; i < 200; i++) {
      put(route("r" + i, "team-a", host(), "none", uniquePath()));
    }
    Compiler compiler = new Compiler();
    CompileResult previous = compiler.compile(bundle());
    int next = 200;
    for (int step = 0; step < 120; step++) {
      String edit;
      int kind = random.nextInt(10);
      List<String> names =
          objects.keySet().stream().filter(k -> k.startsWith("GatewayRoute/")).toList();
      if (kind < 4 || names.isEmpty()) {
        String name = "r" + next++;
        put(
            route(
                name,
                random.nextBoolean() ? "team-a" : "team-b",
                host(),
                jwtOrNone(),
                uniquePath()));
        edit = "add " + name;
      } else if (kind < 6) {
        String key = names.get(random.nextInt(names.size()));
        objects.remove(key);
        edit = "delete " + key;
      } else {
        String key = names.get(random.nextInt(names.size()));
        HasMetadata old = objects.get(key);
        put(
            route(
                old.getMetadata().getName(),
                old.getMetadata().getNamespace(),
                host(),
                jwtOrNone(),
                uniquePath()));
        edit = "edit " + key;
      }
      ResourceBundle bundle = bundle();
      CompileResult result = compiler.compile(bundle);
      String label = "step %d after %s".formatted(step, edit);
      assertThat(compiler.lastWasDelta()).as(label).isTrue();
      assertThat(GoldenTest.render(result))
          .as(label)
          .isEqualTo(GoldenTest.render(new Compiler().compile(bundle)));
      IncrementalCompileTest.assertChanges(previous, result, label);
      previous = result;
    }
  }

  @Test
  void changesThatReachOtherObjectsAreWholeCompilesWithTheSameResult() throws Exception {
    base();
    for (int i = 0; i < 20; i++) {
      put(route("r" + i, "team-a", "api.example.com", "none", "/p" + i));
    }
    Compiler compiler = new Compiler();
    compiler.compile(bundle());

    assertWhole(
        compiler,
        "a route claiming a taken match (conflict)",
        () -> put(route("late", "team-a", "api.example.com", "none", "/p3")));
    // The winner's verdict would not move, but a delta takes only claims that had their slot alone.
    assertWhole(
        compiler, "the loser removed again", () -> objects.remove("GatewayRoute/team-a/late"));
    assertDelta(
        compiler,
        "a new route after it",
        () -> put(route("after", "team-a", "api.example.com", "none", "/after")));
    assertWhole(
        compiler,
        "a route whose API keys are in a Secret",
        () -> put(route("keyed", "team-a", "api.example.com", "apikey", "/keyed")));
    assertWhole(compiler, "a policy on a route", () -> put(policy("r1")));
    assertWhole(
        compiler,
        "an edit of the targeted route",
        () -> put(route("r1", "team-a", "api.example.com", "none", "/p1-edited")));
    assertDelta(
        compiler,
        "an edit of another route",
        () -> put(route("r2", "team-a", "api.example.com", "none", "/p2-edited")));
    assertWhole(compiler, "a Service", () -> put(service("team-a", "other")));
    assertDelta(
        compiler,
        "a new route on a new host",
        () -> put(route("fresh", "team-b", "fresh.example.com", "none", "/fresh")));
    assertDelta(
        compiler,
        "the host's last route deleted",
        () -> objects.remove("GatewayRoute/team-b/fresh"));
  }

  private interface Edit {
    void run() throws Exception;
  }

  private void assertWhole(Compiler compiler, String what, Edit edit) throws Exception {
    assertCompile(compiler, what, edit, false);
  }

  private void assertDelta(Compiler compiler, String what, Edit edit) throws Exception {
    assertCompile(compiler, what, edit, true);
  }

  private void assertCompile(Compiler compiler, String what, Edit edit, boolean delta)
      throws Exception {
    edit.run();
    ResourceBundle bundle = bundle();
    CompileResult result = compiler.compile(bundle);
    assertThat(compiler.lastWasDelta()).as(what).isEqualTo(delta);
    assertThat(GoldenTest.render(result))
        .as(what)
        .isEqualTo(GoldenTest.render(new Compiler().compile(bundle)));
  }

  private void base() throws Exception {
    put(
        one(
            """
            apiVersion: portico.dev/v1alpha1
            kind: DataPlane
            metadata: {name: edge, namespace: platform, uid: dp-edge, generation: 1,
              resourceVersion: "1", creationTimestamp: "2026-01-01T00:00:00Z"}
            spec:
              listeners: [{name: http, port: 80}, {name: admin, port: 81, hostname: "*.example.com"}]
              allowedRoutes: {from: All}
            """));
    for (String ns : List.of("team-a", "team-b")) {
      put(service(ns, "app"));
      put(
          one(
              """
              apiVersion: v1
              kind: Secret
              metadata: {name: keys, namespace: %s, uid: keys-%s, resourceVersion: "1",
                labels: {portico.dev/credential: "true"}}
              stringData: {alice: alice-key-0123456789}
              """
                  .formatted(ns, ns)));
    }
  }

  private String host() {
    String[] hosts = {"api.example.com", "shop.example.com", "*.example.com", "h%d.example.org"};
    String host = hosts[random.nextInt(hosts.length)];
    return host.formatted(random.nextInt(5));
  }

  private String jwtOrNone() {
    return random.nextInt(4) == 0 ? "jwt" : "none";
  }

  private String uniquePath() {
    return "/u" + paths++;
  }

  private HasMetadata route(String name, String ns, String host, String security, String path)
      throws Exception {
    String securityYaml =
        switch (security) {
          case "jwt" ->
              "security: {jwt: {issuers: [{issuer: https://idp.example.com/,"
                  + " jwksUri: https://idp.example.com/jwks.json}]}}";
          case "apikey" -> "security: {apiKey: {secretRefs: [{name: keys}]}}";
          default -> "";
        };
    String listener = random.nextInt(4) == 0 ? ", listenerName: admin" : "";
    return one(
        """
        apiVersion: portico.dev/v1alpha1
        kind: GatewayRoute
        metadata: {name: %s, namespace: %s, uid: %s-%s, generation: 1, resourceVersion: "%d",
          creationTimestamp: "2026-01-01T00:%02d:00Z"}
        spec:
          parentRefs: [{name: edge, namespace: platform%s}]
          hostnames: ["%s"]
          %s
          rules:
            - matches: [{path: {type: PathPrefix, value: "%s"}}]
              backends: [{name: app, port: 80}]
            - matches: [{path: {type: Exact, value: "%s/exact"}, method: GET}]
              backends: [{name: app, port: 80}]
        """
            .formatted(
                name,
                ns,
                ns,
                name,
                version++,
                random.nextInt(60),
                listener,
                host,
                securityYaml,
                path,
                path));
  }

  private HasMetadata policy(String route) throws Exception {
    return one(
        """
        apiVersion: portico.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: limit-%s, namespace: team-a, uid: rlp-%s, generation: 1,
          resourceVersion: "%d", creationTimestamp: "2026-01-02T00:00:00Z"}
        spec:
          targetRef: {kind: GatewayRoute, name: %s}
          limits: [{name: per-client, requests: 10, window: Minute, key: {type: ClientAddress}}]
        """
            .formatted(route, route, version++, route));
  }

  private HasMetadata service(String ns, String name) throws Exception {
    return one(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: %s, uid: svc-%s-%s, resourceVersion: "%d"}
        spec: {ports: [{name: http, port: 80, targetPort: 8080}]}
        """
            .formatted(name, ns, ns, name, version++));
  }

  private void put(HasMetadata o) {
    objects.put(
        o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName(), o);
  }

  private ResourceBundle bundle() {
    return ManifestReader.bundle(new ArrayList<>(objects.values())).bundle();
  }

  private static HasMetadata one(String yaml) throws Exception {
    return new ManifestReader()
        .parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test")
        .get(0);
  }
}
