package dev.portico.compiler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.portico.snapshot.ListenerConfig;
import dev.portico.snapshot.RouteEntry;
import dev.portico.snapshot.Snapshot;
import dev.portico.snapshot.VirtualHost;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Versions a snapshot by a SHA-256 over its content in canonical JSON (properties in alphabetical
 * order): the skeleton (everything but virtual hosts, rules and limits) in full, then the digest of
 * each virtual host (itself made of its entries' match digests and rule ids), rule and limit in
 * order, with their counts. Digests are kept per component object, so hashing the next snapshot
 * costs only what changed: an edit among 5,000 routes rehashes one virtual host and one rule, not
 * 1.7 MB of JSON. {@link #versioned(Snapshot)} hashes from scratch; an instance remembers the
 * components of the last snapshots it hashed.
 */
public final class SnapshotHasher {
  /** 16 hex digits (64 bits) identify a version well and still fit a printer column. */
  static final int VERSION_LENGTH = 16;

  /** Stands for an entry without a match in a virtual host's digest. */
  private static final byte[] NO_MATCH = new byte[32];

  private static final ObjectMapper CANONICAL =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  // Components are immutable records, so one object always has one digest. Only the components
  // of the latest hash are kept: a component no snapshot holds any more is forgotten.
  private Map<Object, byte[]> previous = new IdentityHashMap<>();
  private Map<Object, byte[]> current = new IdentityHashMap<>();

  /** Digests one component at a time; {@code digest()} resets it for the next one. */
  private final MessageDigest componentSha = sha256();

  /** The same snapshot with its version set to the hash of its content, hashed from scratch. */
  public static Snapshot versioned(Snapshot snapshot) {
    return new SnapshotHasher().version(snapshot);
  }

  /**
   * The same snapshot with its version set to the hash of its content, reusing the digests of
   * components that the previous call's snapshots also held. Not thread-safe.
   */
  public Snapshot version(Snapshot snapshot) {
    MessageDigest sha = sha256();
    Snapshot skeleton =
        new Snapshot(
            snapshot.dataPlane(),
            "",
            snapshot.proxy(),
            snapshot.listeners().stream().map(l -> l.withVirtualHosts(null)).toList(),
            null,
            null,
            snapshot.dataPlaneRateLimits(),
            snapshot.rateLimitHeaders(),
            snapshot.redis(),
            snapshot.auth());
    byte[] json = canonicalJson(skeleton);
    sha.update(count(json.length));
    sha.update(json);
    for (ListenerConfig listener : snapshot.listeners()) {
      components(sha, listener.virtualHosts());
    }
    components(sha, snapshot.rules());
    components(sha, snapshot.rateLimits());
    String hex = HexFormat.of().formatHex(sha.digest());
    return snapshot.withVersion(hex.substring(0, VERSION_LENGTH));
  }

  /**
   * Forgets digests of components that no snapshot hashed since the last call: call once per
   * compile, after hashing every snapshot of it.
   */
  public void forgetUnused() {
    previous = current;
    current = new IdentityHashMap<>();
  }

  /** The canonical bytes that a component's digest (or the skeleton) is computed from. */
  private static byte[] canonicalJson(Object value) {
    try {
      return CANONICAL.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("snapshot is not serializable", e);
    }
  }

  private void components(MessageDigest sha, List<?> components) {
    sha.update(count(components.size()));
    for (Object component : components) {
      sha.update(digest(component));
    }
  }

  /** The component's digest, remembered by identity. */
  private byte[] digest(Object component) {
    byte[] digest = current.get(component);
    if (digest == null) {
      digest = previous.get(component);
      if (digest == null) {
        digest =
            component instanceof VirtualHost host
                ? hostDigest(host)
                : componentSha.digest(canonicalJson(component));
      }
      current.put(component, digest);
    }
    return digest;
  }

  /**
   * A virtual host from its hostname and, per entry in order, the digest of its match and its rule
   * id. A host with one entry more is a new object, but its other entries' matches are the previous
   * ones (the compiler's route memo and a replica's patched host keep them), so adding a route to a
   * host of 5,000 hashes one match and streams 5,000 digests instead of serializing the host.
   */
  private byte[] hostDigest(VirtualHost host) {
    MessageDigest sha = sha256();
    text(sha, host.hostname());
    sha.update(count(host.routes().size()));
    for (RouteEntry entry : host.routes()) {
      sha.update(entry.match() == null ? NO_MATCH : digest(entry.match()));
      text(sha, entry.rule());
    }
    return sha.digest();
  }

  /** A string, length first so that no two sequences of strings hash alike; null as length -1. */
  private static void text(MessageDigest sha, String s) {
    if (s == null) {
      sha.update(count(-1));
      return;
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    sha.update(count(utf8.length));
    sha.update(utf8);
  }

  private static byte[] count(int n) {
    return ByteBuffer.allocate(4).putInt(n).array();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
