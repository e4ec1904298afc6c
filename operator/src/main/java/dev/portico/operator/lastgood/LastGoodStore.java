package dev.portico.operator.lastgood;

import dev.portico.operator.workload.WorkloadNames;
import dev.portico.snapshot.StoredSnapshot;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Secrets that hold each DataPlane's last known good snapshot, in the operator's namespace:
 * {@code <prefix>-0} to {@code <prefix>-7}, one chunk each. Writes the chunks after the first, then
 * chunk 0, which carries the count and checksum and so commits the write; a reader that meets a
 * half-written store sees chunks of two versions and ignores it.
 */
public final class LastGoodStore {
  /** What chunk 0 says is stored: the version and how many chunks it spans. */
  public record Stored(String version, int chunks) {}

  private final KubernetesClient client;
  private final String namespace;
  private final Clock clock;

  public LastGoodStore(KubernetesClient client, String namespace, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.clock = clock;
  }

  public String namespace() {
    return namespace;
  }

  /** What chunk 0 of {@code prefix} holds; null when there is none. */
  public Stored stored(String prefix) {
    Secret first = secret(StoredSnapshot.chunkName(prefix, 0));
    if (first == null || first.getMetadata().getAnnotations() == null) {
      return null;
    }
    Map<String, String> a = first.getMetadata().getAnnotations();
    String version = a.get(StoredSnapshot.VERSION_ANNOTATION);
    int chunks;
    try {
      chunks = Integer.parseInt(a.getOrDefault(StoredSnapshot.CHUNKS_ANNOTATION, ""));
    } catch (NumberFormatException e) {
      chunks = StoredSnapshot.MAX_CHUNKS; // unreadable: assume every chunk may exist
    }
    return version == null ? null : new Stored(version, chunks);
  }

  /**
   * Writes {@code packed} (which must fit) and deletes the chunks of a longer previous write.
   *
   * @param previousChunks how many chunks the store held before; {@link StoredSnapshot#MAX_CHUNKS}
   *     when unknown
   */
  public void write(
      String dataPlane, String prefix, StoredSnapshot.Packed packed, int previousChunks) {
    if (!packed.fits()) {
      throw new IllegalArgumentException(
          "snapshot " + packed.version() + " needs " + packed.chunks().size() + " chunks");
    }
    int n = packed.chunks().size();
    for (int i = n - 1; i >= 0; i--) {
      Secret chunk = chunk(dataPlane, prefix, packed, i);
      client
          .secrets()
          .inNamespace(namespace)
          .resource(chunk)
          .createOr(NonDeletingOperation::update);
    }
    for (int i = n; i < Math.min(previousChunks, StoredSnapshot.MAX_CHUNKS); i++) {
      client
          .secrets()
          .inNamespace(namespace)
          .withName(StoredSnapshot.chunkName(prefix, i))
          .delete();
    }
  }

  /** Deletes every chunk of {@code prefix}, chunk 0 first so a reader stops trusting the rest. */
  public void delete(String prefix) {
    for (int i = 0; i < StoredSnapshot.MAX_CHUNKS; i++) {
      client
          .secrets()
          .inNamespace(namespace)
          .withName(StoredSnapshot.chunkName(prefix, i))
          .delete();
    }
  }

  private Secret secret(String name) {
    return client.secrets().inNamespace(namespace).withName(name).get();
  }

  private Secret chunk(String dataPlane, String prefix, StoredSnapshot.Packed packed, int index) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(StoredSnapshot.VERSION_ANNOTATION, packed.version());
    annotations.put(StoredSnapshot.DATAPLANE_ANNOTATION, dataPlane);
    if (index == 0) {
      annotations.put(StoredSnapshot.CHUNKS_ANNOTATION, String.valueOf(packed.chunks().size()));
      annotations.put(StoredSnapshot.SHA256_ANNOTATION, packed.sha256());
      annotations.put(
          StoredSnapshot.STORED_AT_ANNOTATION,
          Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
    }
    return new SecretBuilder()
        .withNewMetadata()
        .withName(StoredSnapshot.chunkName(prefix, index))
        .withNamespace(namespace)
        .addToLabels("app.kubernetes.io/part-of", "portico")
        .addToLabels("app.kubernetes.io/component", "last-known-good")
        .addToLabels(WorkloadNames.MANAGED_BY, WorkloadNames.OPERATOR)
        .withAnnotations(annotations)
        .endMetadata()
        .withType("Opaque")
        .withData(
            Map.of(
                StoredSnapshot.DATA_KEY,
                Base64.getEncoder().encodeToString(packed.chunks().get(index))))
        .build();
  }
}
