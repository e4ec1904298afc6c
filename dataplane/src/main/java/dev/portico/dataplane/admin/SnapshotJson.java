package dev.portico.dataplane.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.portico.snapshot.Snapshot;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code /snapshot} body, serialized once per loaded snapshot: a large snapshot costs its
 * serialization on the first read after a swap, not on every read.
 */
final class SnapshotJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final AtomicReference<Cached> cache = new AtomicReference<>();

  /** The cached JSON of {@code snapshot}, or null when it has not been serialized yet. */
  Buffer cached(Snapshot snapshot) {
    Cached cached = cache.get();
    // A fresh Buffer per response: a shared one would share its read position too.
    return cached != null && cached.matches(snapshot) ? Buffer.buffer(cached.json) : null;
  }

  /** Serializes {@code snapshot} (blocking work: call it off the event loop) and caches it. */
  Buffer serialize(Snapshot snapshot) throws JsonProcessingException {
    Buffer cached = cached(snapshot);
    if (cached != null) {
      return cached;
    }
    byte[] json = MAPPER.writeValueAsBytes(snapshot.redacted()); // never a private key
    cache.set(new Cached(snapshot, json));
    return Buffer.buffer(json);
  }

  private record Cached(Snapshot snapshot, byte[] json) {
    /** Versions are content hashes; an unversioned snapshot is only itself. */
    boolean matches(Snapshot other) {
      return snapshot == other
          || (snapshot.version() != null
              && !snapshot.version().isEmpty()
              && snapshot.version().equals(other.version()));
    }
  }
}
