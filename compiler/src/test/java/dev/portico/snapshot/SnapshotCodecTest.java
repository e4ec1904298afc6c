package dev.portico.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portico.compiler.CompileResult;
import dev.portico.compiler.Compiler;
import dev.portico.compiler.SnapshotHasher;
import dev.portico.manifest.ManifestReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SnapshotCodecTest {
  @Test
  void everyGoldenSnapshotSurvivesTheWireUnchanged() throws Exception {
    int checked = 0;
    try (Stream<Path> files = Files.list(Path.of("src/test/resources/golden"))) {
      for (Path in : files.filter(p -> p.toString().endsWith(".in.yaml")).sorted().toList()) {
        CompileResult result = new Compiler().compile(new ManifestReader().read(in).bundle());
        for (Snapshot snapshot : result.snapshots().values()) {
          Snapshot decoded = SnapshotCodec.decode(SnapshotCodec.encode(snapshot));
          // The stream's framing: one line per version, read back whole.
          byte[] line = SnapshotCodec.encodeFrame(snapshot);
          assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
          assertThat(SnapshotCodec.decodeFrame(line).snapshot()).isEqualTo(snapshot);
          assertThat(SnapshotCodec.decodeFrame(line).version()).isEqualTo(snapshot.version());
          assertThat(decoded).as(in.toString()).isEqualTo(snapshot);
          // The version is a content hash: a replica can check that nothing was lost in transit.
          assertThat(SnapshotHasher.versioned(decoded).version()).isEqualTo(snapshot.version());
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(50);
  }

  @Test
  void anUnknownFieldIsAnErrorNotSilence() {
    byte[] json =
        "{\"dataPlane\":\"a/b\",\"newSecurityFeature\":true}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> SnapshotCodec.decode(json))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("newSecurityFeature");
  }
}
