package dev.portico.snapshot;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The last-known-good form of a snapshot, between the operator that stores it in the cluster and a
 * replica that starts while the operator is down: the gzip of {@link SnapshotCodec#encode}, cut
 * into chunks that each fit one Secret, with the checksum a reader verifies. Both halves name the
 * Secrets' keys and annotations from here, so they cannot drift apart.
 */
public final class StoredSnapshot {
  /** A Secret holds at most 1 MiB; this leaves room for metadata and annotations. */
  public static final int CHUNK_BYTES = 900 * 1024;

  /** Fixed, so a replica's Role can name every chunk it may read. */
  public static final int MAX_CHUNKS = 8;

  /** The data key of each chunk Secret. */
  public static final String DATA_KEY = "chunk";

  /** On every chunk: the snapshot version it is a piece of (a torn write shows as a mismatch). */
  public static final String VERSION_ANNOTATION = "portico.dev/snapshot-version";

  /** On every chunk: the DataPlane, {@code namespace/name}. */
  public static final String DATAPLANE_ANNOTATION = "portico.dev/dataplane";

  /** On chunk 0: how many chunks make the snapshot. */
  public static final String CHUNKS_ANNOTATION = "portico.dev/chunks";

  /** On chunk 0: hex SHA-256 of all the chunks' bytes in order (the whole gzip). */
  public static final String SHA256_ANNOTATION = "portico.dev/sha256";

  /** On chunk 0: when the operator stored it (ISO-8601), so a replica can say how old it is. */
  public static final String STORED_AT_ANNOTATION = "portico.dev/stored-at";

  /** The stream's limit on one frame; a stored snapshot never inflates to more. */
  public static final int MAX_JSON_BYTES = 64 * 1024 * 1024;

  private StoredSnapshot() {}

  /** A snapshot packed for storage: its version, the checksum of the gzip, and its chunks. */
  public record Packed(String version, String sha256, List<byte[]> chunks) {
    public Packed {
      chunks = List.copyOf(chunks);
    }

    public int gzipBytes() {
      return chunks.stream().mapToInt(c -> c.length).sum();
    }

    /** Whether it fits the {@value #MAX_CHUNKS} chunks a replica may read. */
    public boolean fits() {
      return chunks.size() <= MAX_CHUNKS;
    }
  }

  /** The name of chunk {@code index} of the Secrets named {@code prefix}. */
  public static String chunkName(String prefix, int index) {
    return prefix + "-" + index;
  }

  /** Gzips the snapshot's JSON and cuts it into chunks of at most {@code chunkBytes}. */
  public static Packed pack(Snapshot snapshot, int chunkBytes) {
    if (chunkBytes <= 0) {
      throw new IllegalArgumentException("chunkBytes must be positive");
    }
    byte[] gzip = gzip(SnapshotCodec.encode(snapshot));
    List<byte[]> chunks = new ArrayList<>();
    for (int from = 0; from < gzip.length; from += chunkBytes) {
      chunks.add(Arrays.copyOfRange(gzip, from, Math.min(gzip.length, from + chunkBytes)));
    }
    return new Packed(snapshot.version(), sha256(chunks), chunks);
  }

  /**
   * Puts the chunks back together and reads the snapshot.
   *
   * @throws IOException when the chunks do not hash to {@code sha256} (a torn or tampered store),
   *     do not inflate, inflate beyond {@value #MAX_JSON_BYTES} bytes, or are not a snapshot this
   *     version understands
   */
  public static Snapshot unpack(List<byte[]> chunks, String sha256) throws IOException {
    String actual = sha256(chunks);
    if (!actual.equals(sha256)) {
      throw new IOException("the chunks hash to " + actual + ", not to " + sha256);
    }
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    for (byte[] chunk : chunks) {
      whole.write(chunk);
    }
    return SnapshotCodec.decode(gunzip(whole.toByteArray()));
  }

  /** Hex SHA-256 of the chunks' bytes in order. */
  public static String sha256(List<byte[]> chunks) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      chunks.forEach(digest::update);
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 8 + 64);
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in memory: cannot happen
    }
    return out.toByteArray();
  }

  /** Bounded: a few MiB of gzip could otherwise inflate to gigabytes. */
  private static byte[] gunzip(byte[] gzip) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      byte[] json = in.readNBytes(MAX_JSON_BYTES + 1);
      if (json.length > MAX_JSON_BYTES) {
        throw new IOException("the stored snapshot inflates to more than " + MAX_JSON_BYTES);
      }
      return json;
    }
  }
}
