package dev.portico.operator.lastgood;

import static dev.portico.operator.lastgood.LastGoodStoreTest.NS;
import static dev.portico.operator.lastgood.LastGoodStoreTest.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.api.dataplane.DataPlane;
import dev.portico.operator.Await;
import dev.portico.operator.Fixtures;
import dev.portico.operator.workload.WorkloadNames;
import dev.portico.snapshot.Snapshot;
import dev.portico.snapshot.StoredSnapshot;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When the last known good snapshot is written: by the leader, for a version a replica applied, the
 * newest such, coalesced, against the Fabric8 mock API server in CRUD mode.
 */
@EnableKubernetesMockClient(crud = true)
class LastGoodWriterTest {
  private static final String DP = "shop/edge";
  private static final String OTHER = "shop/other";
  private static final String CHUNK_0 = WorkloadNames.lastGood(DP) + "-0";
  private static final Duration WAIT = Duration.ofSeconds(10);

  KubernetesClient client;

  private final Map<String, Set<String>> running = new ConcurrentHashMap<>();
  private final List<String> tooLarge = new CopyOnWriteArrayList<>();
  private final List<String> chunk0Versions = new CopyOnWriteArrayList<>();
  private DataPlane dataPlane;
  private Watch watch;
  private LastGoodWriter writer;

  @BeforeEach
  void setUp() {
    dataPlane = Fixtures.dataPlane("shop", "edge", 1);
    dataPlane.getMetadata().setUid("uid-1");
    // Every version chunk 0 is written with, in order.
    watch =
        client
            .secrets()
            .inNamespace(NS)
            .withName(CHUNK_0)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Secret secret) {
                    if (action != Action.DELETED) {
                      chunk0Versions.add(
                          secret
                              .getMetadata()
                              .getAnnotations()
                              .get(StoredSnapshot.VERSION_ANNOTATION));
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
  }

  @AfterEach
  void tearDown() {
    watch.close();
    if (writer != null) {
      writer.close();
    }
  }

  private LastGoodWriter writer(int chunkBytes, Duration interval) {
    writer =
        new LastGoodWriter(
            new LastGoodStore(client, NS, Clock.systemUTC()),
            dp -> running.getOrDefault(dp, Set.of()),
            dp ->
                DP.equals(dp)
                    ? Optional.of(dataPlane)
                    : Optional.of(Fixtures.dataPlane("shop", "other", 1)),
            (dp, message) -> tooLarge.add(message),
            chunkBytes,
            interval);
    return writer;
  }

  private void runs(String... versions) {
    running.put(DP, Set.of(versions));
    writer.replicasChanged(DP);
  }

  private String stored() {
    Secret s = client.secrets().inNamespace(NS).withName(CHUNK_0).get();
    return s == null
        ? null
        : s.getMetadata().getAnnotations().get(StoredSnapshot.VERSION_ANNOTATION);
  }

  /** Chunk 0 was written with exactly these versions, in order (watch events lag the writes). */
  private void assertWrites(String... versions) {
    Await.until(
        "the watch to see the writes",
        WAIT,
        () -> chunk0Versions,
        l -> l.size() >= versions.length);
    assertThat(chunk0Versions).containsExactly(versions);
  }

  private void awaitStored(Snapshot s) {
    Await.until("chunk 0 holds " + s.version(), WAIT, this::stored, s.version()::equals);
  }

  @Test
  void onlyAVersionAReplicaAppliedIsStoredAndOnlyByTheLeader() {
    Snapshot v1 = snapshot(3, 1);
    Snapshot v2 = snapshot(3, 2);
    writer(StoredSnapshot.CHUNK_BYTES, Duration.ofMillis(10));
    writer.published(Map.of(DP, v1));
    runs(v1.version());
    writer.published(Map.of(DP, v2)); // compiled, not applied anywhere yet

    writer.lead(); // a standby wrote nothing; the leader writes what it finds applied
    awaitStored(v1);
    runs(v2.version());
    awaitStored(v2);

    assertWrites(v1.version(), v2.version());
  }

  @Test
  void aBurstOfAppliedVersionsIsOneWriteOfTheNewest() throws Exception {
    Snapshot v1 = snapshot(3, 1);
    Snapshot v2 = snapshot(3, 2);
    Snapshot v3 = snapshot(3, 3);
    writer(StoredSnapshot.CHUNK_BYTES, Duration.ofSeconds(2));
    writer.lead();
    writer.published(Map.of(DP, v1));
    runs(v1.version());
    awaitStored(v1);

    // Within the two seconds after a write: nothing, then the newest good version once.
    writer.published(Map.of(DP, v2));
    runs(v2.version());
    writer.published(Map.of(DP, v3));
    runs(v3.version());
    Thread.sleep(1000);
    assertThat(stored()).isEqualTo(v1.version());
    awaitStored(v3);

    assertWrites(v1.version(), v3.version());
  }

  @Test
  void aNewLeaderReadsWhatIsStoredAndDoesNotRewriteIt() {
    Snapshot v1 = snapshot(3, 1);
    Snapshot v2 = snapshot(3, 2);
    new LastGoodStore(client, NS, Clock.systemUTC())
        .write(DP, WorkloadNames.lastGood(DP), StoredSnapshot.pack(v1, 1024), 0);
    awaitStored(v1);
    writer(StoredSnapshot.CHUNK_BYTES, Duration.ofMillis(10));
    writer.published(Map.of(DP, v1));
    running.put(DP, Set.of(v1.version()));

    writer.lead();
    writer.published(Map.of(DP, v2));
    runs(v2.version());
    awaitStored(v2);

    assertWrites(v1.version(), v2.version());
  }

  @Test
  void anOlderVersionALaggingReplicaRunsNeverReplacesANewerOne() {
    Snapshot v1 = snapshot(3, 1);
    Snapshot v2 = snapshot(3, 2);
    Snapshot v3 = snapshot(3, 3);
    writer(StoredSnapshot.CHUNK_BYTES, Duration.ofMillis(10));
    writer.lead();
    writer.published(Map.of(DP, v1));
    writer.published(Map.of(DP, v2));
    runs(v1.version(), v2.version()); // two replicas, one behind
    awaitStored(v2);

    runs(v1.version()); // the up-to-date replica went away
    writer.published(Map.of(DP, v3));
    runs(v1.version(), v3.version());
    awaitStored(v3);

    assertWrites(v2.version(), v3.version());
  }

  @Test
  void aSnapshotOverTheChunkLimitIsNotStoredAndReportedOnce() {
    Snapshot huge = snapshot(1000, 1);
    Snapshot small = snapshot(3, 2);
    writer(1024, Duration.ofMillis(10));
    writer.lead();
    writer.published(Map.of(DP, huge));
    runs(huge.version());
    Await.until("the report", WAIT, () -> tooLarge, l -> !l.isEmpty());
    runs(huge.version()); // again: reported once per version

    writer.published(Map.of(DP, small));
    runs(small.version());
    awaitStored(small);

    assertWrites(small.version());
    assertThat(tooLarge)
        .singleElement()
        .asString()
        .contains("snapshot " + huge.version())
        .contains("more than the 8 Secrets of 1 KiB")
        .contains("has none to serve");
  }

  @Test
  void aDeletedDataPlanesSnapshotIsRemovedAndNeverWrittenAgain() {
    Snapshot v1 = snapshot(100, 1);
    Snapshot v2 = snapshot(100, 2);
    Snapshot other = snapshot(3, 3);
    writer(1024, Duration.ZERO);
    writer.lead();
    writer.published(Map.of(DP, v1));
    runs(v1.version());
    awaitStored(v1);

    writer.forget(dataPlane);
    assertThat(client.secrets().inNamespace(NS).list().getItems()).isEmpty();
    // A compile from before the delete showed, and its ack: not written.
    writer.published(Map.of(DP, v2, OTHER, other));
    runs(v2.version());
    // The writer handles DataPlanes in turn: once another one's write is done, so is that one.
    running.put(OTHER, Set.of(other.version()));
    writer.replicasChanged(OTHER);
    Await.until(
        "the other DataPlane stored",
        WAIT,
        () -> client.secrets().inNamespace(NS).withName(WorkloadNames.lastGood(OTHER) + "-0").get(),
        s -> true);

    assertThat(client.secrets().inNamespace(NS).list().getItems())
        .extracting(s -> s.getMetadata().getName())
        .containsExactly(WorkloadNames.lastGood(OTHER) + "-0");
    assertWrites(v1.version());
  }
}
