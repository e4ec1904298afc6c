package dev.portico.operator.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.compiler.SnapshotHasher;
import dev.portico.snapshot.RuleConfig;
import dev.portico.snapshot.Snapshot;
import dev.portico.snapshot.SnapshotCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a stream sends: a delta from the version it sent before when it can, else everything. */
class SnapshotChannelTest {
  private static final String DP = "ns/edge";

  private static Snapshot version(int rules) {
    List<RuleConfig> list = new ArrayList<>();
    for (int i = 0; i < rules; i++) {
      list.add(
          new RuleConfig(
              "ns/r/" + i, "ns/r", null, null, null, null, null, null, null, null, null, null));
    }
    return SnapshotHasher.versioned(
        new Snapshot(DP, "", null, List.of(), list, List.of(), List.of(), null, null, null));
  }

  private static SnapshotCodec.Frame next(SnapshotChannel channel, String sent, boolean deltas)
      throws Exception {
    byte[] bytes = channel.awaitOther(DP, sent, deltas, 1_000).orElseThrow().bytes();
    return SnapshotCodec.decodeFrame(bytes);
  }

  @Test
  void aStreamThatTakesDeltasGetsOneFromTheVersionItSent() throws Exception {
    SnapshotChannel channel = new SnapshotChannel();
    Snapshot one = version(1);
    Snapshot two = version(2);
    channel.publish(Map.of(DP, one));
    assertThat(next(channel, "", true).snapshot()).isEqualTo(one); // nothing sent yet: whole
    channel.publish(Map.of(DP, two));
    SnapshotCodec.Frame delta = next(channel, one.version(), true);
    assertThat(delta.snapshot()).isNull();
    assertThat(delta.base()).isEqualTo(one.version());
    assertThat(delta.version()).isEqualTo(two.version());
    assertThat(delta.delta().rules()).extracting(RuleConfig::id).containsExactly("ns/r/1");
    // A stream without deltas, or one whose version is unknown, gets the whole snapshot.
    assertThat(next(channel, one.version(), false).snapshot()).isEqualTo(two);
    assertThat(next(channel, "0123456789abcdef", true).snapshot()).isEqualTo(two);
  }

  @Test
  void onlyTheLastFewVersionsServeAsBases() throws Exception {
    SnapshotChannel channel = new SnapshotChannel();
    Snapshot first = version(1);
    channel.publish(Map.of(DP, first));
    for (int i = 2; i <= SnapshotChannel.HISTORY + 1; i++) {
      channel.publish(Map.of(DP, version(i)));
    }
    assertThat(next(channel, first.version(), true).base()).isEqualTo(first.version());
    channel.publish(Map.of(DP, version(SnapshotChannel.HISTORY + 2)));
    assertThat(next(channel, first.version(), true).snapshot()).isNotNull();
  }

  @Test
  void withNothingNewTheStreamGetsAHeartbeat() throws Exception {
    SnapshotChannel channel = new SnapshotChannel();
    Snapshot one = version(1);
    channel.publish(Map.of(DP, one));
    assertThat(channel.awaitOther(DP, one.version(), true, 50)).isEmpty();
  }
}
