package dev.portico.operator.lastgood;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.compiler.SnapshotHasher;
import dev.portico.operator.Await;
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
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The chunk Secrets against the Fabric8 mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class LastGoodStoreTest {
  static final String NS = "portico-system";
  static final String PREFIX = "portico-lkg-0123456789";

  KubernetesClient client;

  /** About {@code ids * 32} bytes of incompressible JSON. */
  static Snapshot snapshot(int ids, long seed) {
    Random random = new Random(seed);
    List<String> limits = new ArrayList<>();
    for (int i = 0; i < ids; i++) {
      byte[] id = new byte[16];
      random.nextBytes(id);
      limits.add(HexFormat.of().formatHex(id));
    }
    return SnapshotHasher.versioned(
        new Snapshot(
            "shop/edge", "", null, List.of(), List.of(), List.of(), limits, null, null, null));
  }

  private LastGoodStore store() {
    return new LastGoodStore(
        client, NS, Clock.fixed(Instant.parse("2030-01-02T03:04:05Z"), ZoneOffset.UTC));
  }

  /** Records the name of each Secret written, in the order the API server took the writes. */
  private static Watcher<Secret> recorder(List<String> names) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, Secret secret) {
        if (action != Action.DELETED) {
          names.add(secret.getMetadata().getName());
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  private Secret chunk(int i) {
    return client.secrets().inNamespace(NS).withName(PREFIX + "-" + i).get();
  }

  @Test
  void aMultiChunkWriteCommitsWithChunkZeroLastAndReadsBack() throws Exception {
    Snapshot s = snapshot(100, 1);
    StoredSnapshot.Packed packed = StoredSnapshot.pack(s, 1024);
    assertThat(packed.chunks().size()).isBetween(3, 8);
    int n = packed.chunks().size();
    List<String> writes = new CopyOnWriteArrayList<>();
    try (Watch watch = client.secrets().inNamespace(NS).watch(recorder(writes))) {
      store().write("shop/edge", PREFIX, packed, 0);
      Await.until("every chunk's write", Duration.ofSeconds(10), () -> writes, w -> w.size() >= n);
    }

    assertThat(writes).as("chunk 0 commits the write: it goes last").endsWith(PREFIX + "-0");
    assertThat(writes).hasSize(n).doesNotHaveDuplicates();

    List<byte[]> read = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Secret c = chunk(i);
      assertThat(c.getMetadata().getAnnotations())
          .containsEntry(StoredSnapshot.VERSION_ANNOTATION, s.version())
          .containsEntry(StoredSnapshot.DATAPLANE_ANNOTATION, "shop/edge");
      read.add(Base64.getDecoder().decode(c.getData().get(StoredSnapshot.DATA_KEY)));
    }
    assertThat(chunk(0).getMetadata().getAnnotations())
        .containsEntry(StoredSnapshot.CHUNKS_ANNOTATION, String.valueOf(n))
        .containsEntry(StoredSnapshot.SHA256_ANNOTATION, packed.sha256())
        .containsEntry(StoredSnapshot.STORED_AT_ANNOTATION, "2030-01-02T03:04:05Z");
    assertThat(chunk(1).getMetadata().getAnnotations())
        .doesNotContainKey(StoredSnapshot.SHA256_ANNOTATION);
    assertThat(StoredSnapshot.unpack(read, packed.sha256())).isEqualTo(s);
    assertThat(store().stored(PREFIX)).isEqualTo(new LastGoodStore.Stored(s.version(), n));
  }

  @Test
  void aShorterWriteReplacesChunksInPlaceAndDeletesTheOnesItNoLongerNeeds() {
    StoredSnapshot.Packed large = StoredSnapshot.pack(snapshot(100, 2), 1024);
    StoredSnapshot.Packed small = StoredSnapshot.pack(snapshot(2, 3), 1024);
    store().write("shop/edge", PREFIX, large, 0);

    store().write("shop/edge", PREFIX, small, large.chunks().size());

    assertThat(store().stored(PREFIX)).isEqualTo(new LastGoodStore.Stored(small.version(), 1));
    for (int i = 1; i < large.chunks().size(); i++) {
      assertThat(chunk(i)).as("chunk %d", i).isNull();
    }
  }

  @Test
  void nothingStoredReadsAsNullAndDeleteRemovesEveryChunk() {
    assertThat(store().stored(PREFIX)).isNull();
    store().write("shop/edge", PREFIX, StoredSnapshot.pack(snapshot(100, 4), 1024), 0);

    store().delete(PREFIX);

    assertThat(client.secrets().inNamespace(NS).list().getItems()).isEmpty();
    assertThat(store().stored(PREFIX)).isNull();
  }
}
