package dev.portico.dataplane.cluster;

import dev.portico.snapshot.Snapshot;
import dev.portico.snapshot.SnapshotCodec;
import dev.portico.snapshot.StoredSnapshot;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the last known good snapshot the operator stored for this replica's DataPlane (see {@link
 * StoredSnapshot}): chunk 0, which says how many chunks and their checksum, then the others, which
 * must all carry chunk 0's version. Anything else (none stored yet, a write under way, a checksum
 * that does not match) reads as nothing, with the reason logged: a replica then waits for the
 * operator as it would without a store.
 */
final class LastGoodSnapshot {
  private static final Logger LOG = LoggerFactory.getLogger(LastGoodSnapshot.class);

  /** One Secret by name; null when there is none. */
  interface Secrets {
    Secret get(String name);
  }

  /** A stored snapshot as a stream line, with where and when the operator stored it. */
  record Found(String version, byte[] line, String storedAt, String location) {}

  private final Secrets secrets;
  private final String dataPlane;
  private final String location;
  private final String prefix;

  LastGoodSnapshot(Secrets secrets, String dataPlane, String namespace, String prefix) {
    this.secrets = secrets;
    this.dataPlane = dataPlane;
    this.prefix = prefix;
    this.location = "Secrets " + namespace + "/" + StoredSnapshot.chunkName(prefix, 0) + "..";
  }

  static LastGoodSnapshot of(KubernetesClient client, ClusterArgs args) {
    return new LastGoodSnapshot(
        name -> client.secrets().inNamespace(args.lastGoodNamespace()).withName(name).get(),
        args.dataPlane(),
        args.lastGoodNamespace(),
        args.lastGoodName());
  }

  /**
   * @return the stored snapshot, or empty when there is none that can be trusted (logged)
   * @throws KubernetesClientException when the API server could not answer (worth a retry); a
   *     refusal (403: this replica may not read it) reads as nothing
   */
  Optional<Found> read() {
    try {
      return Optional.ofNullable(readOrExplain());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        return absent("this replica may not read them: " + e.getMessage());
      }
      throw e;
    }
  }

  private Found readOrExplain() {
    Secret first = secrets.get(StoredSnapshot.chunkName(prefix, 0));
    if (first == null) {
      return absent("none is stored yet").orElse(null);
    }
    Map<String, String> a = annotations(first);
    String version = a.get(StoredSnapshot.VERSION_ANNOTATION);
    String sha256 = a.get(StoredSnapshot.SHA256_ANNOTATION);
    int count;
    try {
      count = Integer.parseInt(a.getOrDefault(StoredSnapshot.CHUNKS_ANNOTATION, ""));
    } catch (NumberFormatException e) {
      count = 0;
    }
    if (version == null || sha256 == null || count < 1 || count > StoredSnapshot.MAX_CHUNKS) {
      return absent("chunk 0 does not say which version, how many chunks and their checksum")
          .orElse(null);
    }
    if (!dataPlane.equals(a.get(StoredSnapshot.DATAPLANE_ANNOTATION))) {
      return absent("they hold DataPlane " + a.get(StoredSnapshot.DATAPLANE_ANNOTATION))
          .orElse(null);
    }
    List<byte[]> chunks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Secret chunk = i == 0 ? first : secrets.get(StoredSnapshot.chunkName(prefix, i));
      if (chunk == null) {
        return absent("chunk " + i + " of " + count + " is missing").orElse(null);
      }
      String its = annotations(chunk).get(StoredSnapshot.VERSION_ANNOTATION);
      if (!version.equals(its)) {
        return absent(
                "chunk "
                    + i
                    + " is of version "
                    + its
                    + ", chunk 0 of "
                    + version
                    + ": the operator was writing them")
            .orElse(null);
      }
      String data = chunk.getData() == null ? null : chunk.getData().get(StoredSnapshot.DATA_KEY);
      if (data == null) {
        return absent("chunk " + i + " holds no data").orElse(null);
      }
      chunks.add(Base64.getDecoder().decode(data));
    }
    Snapshot snapshot;
    try {
      snapshot = StoredSnapshot.unpack(chunks, sha256);
    } catch (IOException | IllegalArgumentException e) {
      return absent("snapshot " + version + " cannot be read: " + e.getMessage()).orElse(null);
    }
    if (!version.equals(snapshot.version())) {
      return absent("they hold snapshot " + snapshot.version() + ", not " + version).orElse(null);
    }
    return new Found(
        version,
        SnapshotCodec.encodeFrame(snapshot),
        a.getOrDefault(StoredSnapshot.STORED_AT_ANNOTATION, "an unknown time"),
        location);
  }

  private Optional<Found> absent(String why) {
    LOG.info("no last known good snapshot to serve from {}: {}", location, why);
    return Optional.empty();
  }

  private static Map<String, String> annotations(Secret s) {
    Map<String, String> a = s.getMetadata() == null ? null : s.getMetadata().getAnnotations();
    return a == null ? Map.of() : a;
  }
}
