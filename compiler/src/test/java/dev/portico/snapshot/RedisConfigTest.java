package dev.portico.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.compiler.SnapshotHasher;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisConfigTest {
  private static final String PASSWORD = "s3cret-pass";

  private static Snapshot withStore(String password) {
    return SnapshotHasher.versioned(
        new Snapshot(
            "ns/edge",
            "",
            null,
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            null,
            new RedisConfig("redis:6379", 1, "portico", password, "ns/auth", true, 100),
            null));
  }

  @Test
  void thePasswordTravelsToReplicasInFramesAndDeltas() throws Exception {
    Snapshot s = withStore(PASSWORD);

    assertThat(SnapshotCodec.decode(SnapshotCodec.encode(s)).redis().password())
        .isEqualTo(PASSWORD);
    Snapshot rotated = withStore("rotated");
    SnapshotCodec.Frame frame =
        SnapshotCodec.decodeFrame(SnapshotCodec.encodeDeltaFrame(s, rotated));
    assertThat(SnapshotPatch.apply(s, frame.delta()).redis().password()).isEqualTo("rotated");
    assertThat(rotated.version()).isNotEqualTo(s.version());
  }

  @Test
  void viewsForPeopleAndToStringNeverShowIt() {
    Snapshot s = withStore(PASSWORD);

    assertThat(s.toString()).doesNotContain(PASSWORD);
    assertThat(s.redacted().redis().password()).isEqualTo(RedisConfig.REDACTED);
    assertThat(new String(SnapshotCodec.encode(s.redacted()), StandardCharsets.UTF_8))
        .doesNotContain(PASSWORD);
    assertThat(s.redis().connectionString()).isEqualTo("rediss://redis:6379/1");
  }
}
