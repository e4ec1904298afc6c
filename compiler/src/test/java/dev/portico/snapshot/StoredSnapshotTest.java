package dev.portico.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portico.compiler.SnapshotHasher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StoredSnapshotTest {
  /** A snapshot of about {@code ids * 32} bytes of incompressible JSON. */
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
            "ns/edge", "", null, List.of(), List.of(), List.of(), limits, null, null, null));
  }

  @Test
  void aSmallSnapshotIsOneChunkAndComesBackEqual() throws IOException {
    Snapshot s = snapshot(3, 1);

    StoredSnapshot.Packed packed = StoredSnapshot.pack(s, StoredSnapshot.CHUNK_BYTES);

    assertThat(packed.chunks().size()).isEqualTo(1);
    assertThat(packed.version()).isEqualTo(s.version());
    assertThat(packed.fits()).isTrue();
    assertThat(StoredSnapshot.unpack(packed.chunks(), packed.sha256())).isEqualTo(s);
  }

  @Test
  void aLargerSnapshotIsCutIntoChunksThatJoinBackInOrder() throws IOException {
    Snapshot s = snapshot(100, 2);

    StoredSnapshot.Packed packed = StoredSnapshot.pack(s, 1024);

    assertThat(packed.chunks().size()).isBetween(3, StoredSnapshot.MAX_CHUNKS);
    assertThat(packed.chunks().stream().allMatch(c -> c.length <= 1024 && c.length > 0)).isTrue();
    assertThat(packed.fits()).isTrue();
    assertThat(StoredSnapshot.unpack(packed.chunks(), packed.sha256())).isEqualTo(s);
    // Out of order is not the same bytes: the checksum catches it.
    List<byte[]> swapped = new ArrayList<>(packed.chunks());
    swapped.set(0, packed.chunks().get(1));
    swapped.set(1, packed.chunks().get(0));
    assertThatThrownBy(() -> StoredSnapshot.unpack(swapped, packed.sha256()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("hash to");
  }

  @Test
  void moreThanTheMaximumOfChunksDoesNotFit() {
    StoredSnapshot.Packed packed = StoredSnapshot.pack(snapshot(1000, 3), 1024);

    assertThat(packed.chunks().size()).isGreaterThan(StoredSnapshot.MAX_CHUNKS);
    assertThat(packed.fits()).isFalse();
  }

  @Test
  void aChunkOfAnotherWriteIsDetected() {
    StoredSnapshot.Packed first = StoredSnapshot.pack(snapshot(100, 4), 1024);
    StoredSnapshot.Packed second = StoredSnapshot.pack(snapshot(100, 5), 1024);
    List<byte[]> torn = new ArrayList<>(first.chunks());
    torn.set(1, second.chunks().get(1));

    assertThatThrownBy(() -> StoredSnapshot.unpack(torn, first.sha256()))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> StoredSnapshot.unpack(first.chunks().subList(0, 2), first.sha256()))
        .as("a missing last chunk")
        .isInstanceOf(IOException.class);
  }

  @Test
  void chunkNamesAreThePrefixAndTheIndex() {
    assertThat(StoredSnapshot.chunkName("portico-lkg-0123456789", 7))
        .isEqualTo("portico-lkg-0123456789-7");
  }
}
