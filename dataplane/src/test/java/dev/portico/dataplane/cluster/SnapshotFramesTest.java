package dev.portico.dataplane.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.compiler.SnapshotHasher;
import dev.portico.snapshot.Snapshot;
import dev.portico.snapshot.SnapshotCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotFramesTest {
  private static final Snapshot SNAPSHOT =
      SnapshotHasher.versioned(
          new Snapshot("ns/edge", "", null, List.of(), List.of(), List.of(), List.of()));

  private static byte[] line(String version, String snapshotJson) {
    return ("{\"version\":\"" + version + "\",\"snapshot\":" + snapshotJson + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String json(Snapshot s) {
    return new String(SnapshotCodec.encode(s), StandardCharsets.UTF_8);
  }

  @Test
  void aFrameWhoseContentMatchesItsVersionIsServed() {
    SnapshotFrames.Frame frame = SnapshotFrames.read(line(SNAPSHOT.version(), json(SNAPSHOT)));
    assertThat(frame.problem()).isNull();
    assertThat(frame.snapshot()).isEqualTo(SNAPSHOT);
  }

  @Test
  void aFrameWhoseContentDoesNotHashToItsVersionIsRefused() {
    Snapshot tampered = SNAPSHOT.withVersion("0000000000000000");
    SnapshotFrames.Frame frame = SnapshotFrames.read(line("0000000000000000", json(tampered)));
    assertThat(frame.snapshot()).isNull();
    assertThat(frame.problem()).contains("hashes to " + SNAPSHOT.version());
  }

  @Test
  void anUnknownFieldIsRefusedAndTheRefusalNamesTheVersion() {
    String newer = json(SNAPSHOT).replaceFirst("\\{", "{\"mutualTls\":true,");
    SnapshotFrames.Frame frame = SnapshotFrames.read(line(SNAPSHOT.version(), newer));
    assertThat(frame.snapshot()).isNull();
    assertThat(frame.version()).isEqualTo(SNAPSHOT.version());
    assertThat(frame.problem()).contains("mutualTls");
  }

  @Test
  void garbageIsRefused() {
    SnapshotFrames.Frame frame = SnapshotFrames.read("not json".getBytes(StandardCharsets.UTF_8));
    assertThat(frame.snapshot()).isNull();
    assertThat(frame.problem()).isNotBlank();
  }
}
