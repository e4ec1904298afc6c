package dev.portico.dataplane.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portico.compiler.SnapshotHasher;
import dev.portico.snapshot.ProxySettingsConfig;
import dev.portico.snapshot.Snapshot;
import dev.portico.snapshot.StoredSnapshot;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Reading the chunks back, and refusing anything a torn or foreign write left behind. */
class LastGoodSnapshotTest {
  private static final String DP = "shop/edge";
  private static final String PREFIX = "portico-lkg-0123456789";

  private final Map<String, Secret> secrets = new HashMap<>();

  /** A snapshot a gateway can serve, with about {@code ids * 32} bytes of incompressible JSON. */
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
            DP,
            "",
            new ProxySettingsConfig(
                1, true, false, 8192, 100, 4096, 0, 10_000, 60_000, 1_000, 15_000),
            List.of(),
            List.of(),
            List.of(),
            limits,
            null,
            null,
            null));
  }

  /** What the operator writes (LastGoodStore), by hand. */
  private StoredSnapshot.Packed store(Snapshot s, int chunkBytes) {
    StoredSnapshot.Packed packed = StoredSnapshot.pack(s, chunkBytes);
    for (int i = 0; i < packed.chunks().size(); i++) {
      secrets.put(name(i), chunk(packed, i, packed.chunks().get(i)));
    }
    return packed;
  }

  private static Secret chunk(StoredSnapshot.Packed packed, int i, byte[] data) {
    Map<String, String> annotations = new HashMap<>();
    annotations.put(StoredSnapshot.VERSION_ANNOTATION, packed.version());
    annotations.put(StoredSnapshot.DATAPLANE_ANNOTATION, DP);
    if (i == 0) {
      annotations.put(StoredSnapshot.CHUNKS_ANNOTATION, String.valueOf(packed.chunks().size()));
      annotations.put(StoredSnapshot.SHA256_ANNOTATION, packed.sha256());
      annotations.put(StoredSnapshot.STORED_AT_ANNOTATION, "2030-01-02T03:04:05Z");
    }
    return new SecretBuilder()
        .withNewMetadata()
        .withName(PREFIX + "-" + i)
        .withAnnotations(annotations)
        .endMetadata()
        .withData(Map.of(StoredSnapshot.DATA_KEY, Base64.getEncoder().encodeToString(data)))
        .build();
  }

  private static String name(int i) {
    return PREFIX + "-" + i;
  }

  private Optional<LastGoodSnapshot.Found> read() {
    return new LastGoodSnapshot(secrets::get, DP, "portico-system", PREFIX).read();
  }

  @Test
  void aMultiChunkSnapshotReadsBackAsTheStreamLineOfThatVersion() {
    Snapshot s = snapshot(100, 1);
    StoredSnapshot.Packed packed = store(s, 1024);
    assertThat(packed.chunks().size()).isGreaterThan(2);

    LastGoodSnapshot.Found found = read().orElseThrow();

    assertThat(found.version()).isEqualTo(s.version());
    assertThat(found.storedAt()).isEqualTo("2030-01-02T03:04:05Z");
    assertThat(found.location()).isEqualTo("Secrets portico-system/" + PREFIX + "-0..");
    SnapshotFrames.Frame frame = new SnapshotFrames(() -> null).read(found.line());
    assertThat(frame.problem()).isNull();
    assertThat(frame.snapshot()).isEqualTo(s);
  }

  @Test
  void nothingStoredIsNothing() {
    assertThat(read()).isEmpty();
  }

  @Test
  void aChunkOfAnotherVersionIsATornWriteAndReadsAsNothing() {
    store(snapshot(100, 1), 1024);
    // The operator started writing a newer version from the last chunk down, and stopped.
    StoredSnapshot.Packed newer = StoredSnapshot.pack(snapshot(100, 2), 1024);
    secrets.put(name(2), chunk(newer, 2, newer.chunks().get(2)));

    assertThat(read()).isEmpty();
  }

  @Test
  void bytesThatDoNotMatchTheChecksumReadAsNothing() {
    StoredSnapshot.Packed packed = store(snapshot(100, 1), 1024);
    byte[] tampered = packed.chunks().get(1).clone();
    tampered[10] ^= 1;
    secrets.put(name(1), chunk(packed, 1, tampered));

    assertThat(read()).isEmpty();
  }

  @Test
  void aMissingChunkReadsAsNothing() {
    store(snapshot(100, 1), 1024);
    secrets.remove(name(1));

    assertThat(read()).isEmpty();
  }

  @Test
  void anotherDataPlanesSnapshotReadsAsNothing() {
    Snapshot s = snapshot(3, 1);
    StoredSnapshot.Packed packed = store(s, 1024);
    Secret foreign = chunk(packed, 0, packed.chunks().get(0));
    foreign.getMetadata().getAnnotations().put(StoredSnapshot.DATAPLANE_ANNOTATION, "other/edge");
    secrets.put(name(0), foreign);

    assertThat(read()).isEmpty();
  }

  @Test
  void aRefusalReadsAsNothingButAnUnansweredRequestIsAnError() {
    LastGoodSnapshot forbidden =
        new LastGoodSnapshot(
            n -> {
              throw new KubernetesClientException("forbidden", 403, null);
            },
            DP,
            "portico-system",
            PREFIX);
    LastGoodSnapshot down =
        new LastGoodSnapshot(
            n -> {
              throw new KubernetesClientException("connection refused");
            },
            DP,
            "portico-system",
            PREFIX);

    assertThat(forbidden.read()).isEmpty();
    assertThatThrownBy(down::read).isInstanceOf(KubernetesClientException.class);
  }
}
