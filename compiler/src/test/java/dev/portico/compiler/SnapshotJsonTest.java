package dev.portico.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portico.manifest.ManifestReader;
import dev.portico.snapshot.Snapshot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The snapshot survives the wire, and its version depends on content, never on input order. */
class SnapshotJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ResourceBundle bundle(String golden) throws Exception {
    return new ManifestReader().read(GoldenTest.DIR.resolve(golden + ".in.yaml")).bundle();
  }

  @Test
  void snapshotRoundTripsThroughJson() throws Exception {
    for (String name : GoldenTest.cases()) {
      for (Snapshot s : new Compiler().compile(bundle(name)).snapshots().values()) {
        Snapshot back = JSON.readValue(JSON.writeValueAsBytes(s), Snapshot.class);
        assertThat(back).as(name).isEqualTo(s);
        assertThat(SnapshotHasher.versioned(back).version()).isEqualTo(s.version());
      }
    }
  }

  @Test
  void outputDoesNotDependOnInputOrder() throws Exception {
    for (String name : GoldenTest.cases()) {
      ResourceBundle b = bundle(name);
      String expected = GoldenTest.render(new Compiler().compile(b));
      for (int seed = 0; seed < 3; seed++) {
        ResourceBundle shuffled =
            new ResourceBundle(
                shuffle(b.dataPlanes(), seed),
                shuffle(b.routes(), seed),
                shuffle(b.rateLimitPolicies(), seed),
                shuffle(b.services(), seed),
                shuffle(b.namespaces(), seed),
                shuffle(b.referenceGrants(), seed),
                shuffle(b.tlsSecrets(), seed),
                shuffle(b.credentialSecrets(), seed));
        assertThat(GoldenTest.render(new Compiler().compile(shuffled)))
            .as("%s with input order %d", name, seed)
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void versionChangesWithContent() throws Exception {
    ResourceBundle b = bundle("basic-proxy");
    Snapshot before = new Compiler().compile(b).snapshots().get("infra/public");
    b.routes().get(0).getSpec().rules.get(0).backends.get(0).weight = 7;
    Snapshot after = new Compiler().compile(b).snapshots().get("infra/public");
    assertThat(after.version()).isNotEqualTo(before.version()).hasSize(16);
  }

  private static <T> List<T> shuffle(List<T> list, int seed) {
    List<T> copy = new ArrayList<>(list);
    Collections.shuffle(copy, new Random(seed));
    return copy;
  }
}
