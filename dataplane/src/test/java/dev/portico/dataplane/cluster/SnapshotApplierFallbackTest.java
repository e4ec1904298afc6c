package dev.portico.dataplane.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.dataplane.discovery.EndpointSliceDiscovery;
import dev.portico.dataplane.metrics.ProxyMetrics;
import dev.portico.dataplane.proxy.EndpointRegistry;
import dev.portico.dataplane.server.Gateway;
import dev.portico.snapshot.Snapshot;
import dev.portico.snapshot.SnapshotCodec;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The applier's side of the fallback, with a real gateway: the stored snapshot is taken only while
 * the stream has offered nothing, and the stream's next snapshot replaces it.
 */
class SnapshotApplierFallbackTest {
  private final Vertx vertx = Vertx.vertx();
  private final EndpointRegistry registry = new EndpointRegistry();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Gateway gateway =
      new Gateway(vertx, "127.0.0.1", 1, 100, registry, new ProxyMetrics(meters), null);
  // The snapshots name no Service: discovery never needs its client.
  private final EndpointSliceDiscovery discovery = new EndpointSliceDiscovery(null, registry);
  private final SnapshotApplier applier = new SnapshotApplier(gateway, discovery);
  private final List<String> acks = new CopyOnWriteArrayList<>();

  private final Snapshot stored = LastGoodSnapshotTest.snapshot(2, 1);
  private final Snapshot streamed = LastGoodSnapshotTest.snapshot(2, 2);

  SnapshotApplierFallbackTest() {
    applier.answerTo((version, applied, reason) -> acks.add(version + "=" + applied));
  }

  @AfterEach
  void close() {
    applier.close();
    discovery.close();
    vertx.close();
  }

  private void awaitServing(Snapshot s) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (gateway.snapshot() == null || !gateway.snapshot().version().equals(s.version())) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not serving " + s.version() + " but " + gateway.snapshot());
      }
      Thread.sleep(10);
    }
  }

  /** The answer follows the swap. */
  private void awaitAcks(int n) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (acks.size() < n) {
      if (System.nanoTime() > end) {
        throw new AssertionError("answers: " + acks);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void eachAppliedLineIsTimedByStage() throws Exception {
    applier.offer(SnapshotCodec.encodeFrame(streamed));
    awaitServing(streamed);
    awaitAcks(1);

    for (String stage : List.of("decode", "discovery", "swap")) {
      Timer timer = meters.find("portico.snapshot.apply").tag("stage", stage).timer();
      assertThat(timer).as(stage).isNotNull();
      assertThat(timer.count()).as(stage).isEqualTo(1);
    }
    assertThat(
            meters
                .find("portico.snapshot.apply")
                .tag("stage", "swap")
                .timer()
                .totalTime(TimeUnit.NANOSECONDS))
        .isPositive();
  }

  @Test
  void aStoredSnapshotOfferedAfterAStreamFrameIsRefused() throws Exception {
    applier.offer(SnapshotCodec.encodeFrame(streamed));

    assertThat(applier.offerIfNothingYet(SnapshotCodec.encodeFrame(stored))).isFalse();

    awaitServing(streamed);
    awaitAcks(1);
    Thread.sleep(200); // the refused line, had it been taken, would be applied by now
    assertThat(gateway.snapshot().version()).isEqualTo(streamed.version());
    assertThat(acks).containsExactly(streamed.version() + "=true");
  }

  @Test
  void aStoredSnapshotServesUntilTheStreamsFirstFrameReplacesIt() throws Exception {
    assertThat(applier.streamed()).isFalse();

    assertThat(applier.offerIfNothingYet(SnapshotCodec.encodeFrame(stored))).isTrue();
    awaitServing(stored);

    applier.offer(SnapshotCodec.encodeFrame(streamed));
    assertThat(applier.streamed()).isTrue();
    awaitServing(streamed);
    assertThat(applier.offerIfNothingYet(SnapshotCodec.encodeFrame(stored))).isFalse();
    awaitAcks(2);
    assertThat(acks).containsExactly(stored.version() + "=true", streamed.version() + "=true");
  }
}
