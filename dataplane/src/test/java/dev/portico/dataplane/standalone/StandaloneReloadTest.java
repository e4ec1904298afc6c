package dev.portico.dataplane.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.dataplane.server.GatewayHarness;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The folder watch: a valid change is served live, an invalid one leaves the old snapshot. */
class StandaloneReloadTest {
  static final String RULES =
      """
          - matches: [{path: {type: PathPrefix, value: /x}}]
            backends: [{name: %s, port: 80}]
      """;

  @Test
  void validChangesAreServedAndInvalidOnesKeepTheOldSnapshot() throws Exception {
    try (GatewayHarness h = new GatewayHarness()) {
      h.backend("a");
      h.backend("b");
      h.writeManifests(RULES.formatted("a"));
      h.mode.start(100);
      assertThat(backendOf(h)).isEqualTo("a");

      h.writeManifests(RULES.formatted("b"));
      awaitBackend(h, "b");
      String good = h.gateway.snapshot().version();

      // A typo in a field name: the file is refused as a whole.
      Files.writeString(
          h.dir.resolve("typo.yaml"),
          """
          apiVersion: portico.dev/v1alpha1
          kind: GatewayRoute
          metadata: {name: typo, namespace: default}
          spec:
            parentRefs: [{name: test}]
            rulez: []
          """);
      Thread.sleep(1500);
      assertThat(h.gateway.snapshot().version()).isEqualTo(good);
      assertThat(backendOf(h)).isEqualTo("b");
      Files.delete(h.dir.resolve("typo.yaml"));

      // A DataPlane the compiler refuses: its replicas keep the last good snapshot.
      h.proxySettings("    trustedHops: 50\n").writeManifests(RULES.formatted("a"));
      Thread.sleep(1500);
      assertThat(h.gateway.snapshot().version()).isEqualTo(good);
      assertThat(backendOf(h)).isEqualTo("b");

      // Fixed again: served.
      h.proxySettings("").writeManifests(RULES.formatted("a"));
      awaitBackend(h, "a");
    }
  }

  private static String backendOf(GatewayHarness h) throws Exception {
    return new JsonObject(h.get("/x").body()).getString("name");
  }

  private static void awaitBackend(GatewayHarness h, String name) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    while (!name.equals(backendOf(h))) {
      assertThat(System.currentTimeMillis()).as("reload within 10s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
