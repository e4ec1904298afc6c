package dev.portico.dataplane.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.compiler.SnapshotHasher;
import dev.portico.snapshot.RuleConfig;
import dev.portico.snapshot.Snapshot;
import dev.portico.snapshot.SnapshotCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotFramesTest {
  private static final Snapshot SNAPSHOT =
      SnapshotHasher.versioned(
          new Snapshot(
              "ns/edge", "", null, List.of(), List.of(), List.of(), List.of(), null, null, null));

  private static byte[] line(String version, String snapshotJson) {
    return ("{\"version\":\"" + version + "\",\"snapshot\":" + snapshotJson + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String json(Snapshot s) {
    return new String(SnapshotCodec.encode(s), StandardCharsets.UTF_8);
  }

  @Test
  void aFrameWhoseContentMatchesItsVersionIsServed() {
    SnapshotFrames.Frame frame =
        new SnapshotFrames(() -> null).read(line(SNAPSHOT.version(), json(SNAPSHOT)));
    assertThat(frame.problem()).isNull();
    assertThat(frame.snapshot()).isEqualTo(SNAPSHOT);
  }

  @Test
  void aFrameWhoseContentDoesNotHashToItsVersionIsRefused() {
    Snapshot tampered = SNAPSHOT.withVersion("0000000000000000");
    SnapshotFrames.Frame frame =
        new SnapshotFrames(() -> null).read(line("0000000000000000", json(tampered)));
    assertThat(frame.snapshot()).isNull();
    assertThat(frame.problem()).contains("hashes to " + SNAPSHOT.version());
  }

  @Test
  void anUnknownFieldIsRefusedAndTheRefusalNamesTheVersion() {
    String newer = json(SNAPSHOT).replaceFirst("\\{", "{\"mutualTls\":true,");
    SnapshotFrames.Frame frame =
        new SnapshotFrames(() -> null).read(line(SNAPSHOT.version(), newer));
    assertThat(frame.snapshot()).isNull();
    assertThat(frame.version()).isEqualTo(SNAPSHOT.version());
    assertThat(frame.problem()).contains("mutualTls");
  }

  @Test
  void garbageIsRefused() {
    SnapshotFrames.Frame frame =
        new SnapshotFrames(() -> null).read("not json".getBytes(StandardCharsets.UTF_8));
    assertThat(frame.snapshot()).isNull();
    assertThat(frame.problem()).isNotBlank();
  }

  private static Snapshot withRules(String... ids) {
    List<RuleConfig> rules = new ArrayList<>();
    for (String id : ids) {
      rules.add(
          new RuleConfig(
              id, "ns/r", null, null, null, null, null, null, null, List.of(), null, null));
    }
    return SnapshotHasher.versioned(
        new Snapshot(
            "ns/edge", "", null, List.of(), rules, List.of(), List.of(), null, null, null));
  }

  @Test
  void aDeltaAppliesToThePreviousLineAndThenToItsOwnResult() {
    Snapshot one = withRules("ns/r/0");
    Snapshot two = withRules("ns/r/0", "ns/r/1");
    Snapshot three = withRules("ns/r/1");
    SnapshotFrames frames = new SnapshotFrames(() -> null);
    Snapshot first = frames.read(SnapshotCodec.encodeFrame(one)).snapshot();
    assertThat(first).isEqualTo(one);
    SnapshotFrames.Frame second = frames.read(SnapshotCodec.encodeDeltaFrame(one, two));
    assertThat(second.problem()).isNull();
    assertThat(second.snapshot()).isEqualTo(two);
    // The unchanged rule is the object read from the first line: its index and pools are reused.
    assertThat(second.snapshot().rules().get(0)).isSameAs(first.rules().get(0));
    assertThat(frames.read(SnapshotCodec.encodeDeltaFrame(two, three)).snapshot()).isEqualTo(three);
  }

  @Test
  void afterAReconnectADeltaAppliesToTheServedSnapshot() {
    Snapshot served = withRules("ns/r/0");
    Snapshot next = withRules("ns/r/0", "ns/r/1");
    SnapshotFrames.Frame frame =
        new SnapshotFrames(() -> served).read(SnapshotCodec.encodeDeltaFrame(served, next));
    assertThat(frame.snapshot()).isEqualTo(next);
  }

  @Test
  void aDeltaFromASnapshotThisReplicaDoesNotHaveAsksForANewStream() {
    Snapshot other = withRules("ns/x/0");
    Snapshot next = withRules("ns/x/0", "ns/x/1");
    SnapshotFrames.Frame frame =
        new SnapshotFrames(() -> withRules("ns/r/0"))
            .read(SnapshotCodec.encodeDeltaFrame(other, next));
    assertThat(frame.snapshot()).isNull();
    assertThat(frame.resync()).isTrue();
    assertThat(frame.problem()).contains("a delta from " + other.version());
  }

  @Test
  void aDeltaWhosePatchedContentDoesNotHashToItsVersionIsRefused() {
    Snapshot base = withRules("ns/r/0");
    Snapshot next = withRules("ns/r/0", "ns/r/1");
    String line =
        new String(SnapshotCodec.encodeDeltaFrame(base, next), StandardCharsets.UTF_8)
            .replace("ns/r/1", "ns/r/2");
    SnapshotFrames.Frame frame =
        new SnapshotFrames(() -> base).read(line.getBytes(StandardCharsets.UTF_8));
    assertThat(frame.snapshot()).isNull();
    assertThat(frame.problem()).contains("not to its version " + next.version());
  }
}
