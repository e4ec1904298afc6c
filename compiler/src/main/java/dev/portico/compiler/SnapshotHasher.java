package dev.portico.compiler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.portico.snapshot.Snapshot;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Versions a snapshot by the SHA-256 of its canonical JSON (properties in alphabetical order). */
public final class SnapshotHasher {
  /** 16 hex digits (64 bits) identify a version well and still fit a printer column. */
  static final int VERSION_LENGTH = 16;

  private static final ObjectMapper CANONICAL =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  private SnapshotHasher() {}

  /** The same snapshot with its version set to the hash of its content. */
  public static Snapshot versioned(Snapshot snapshot) {
    return snapshot.withVersion(hash(snapshot.withVersion("")));
  }

  /** The canonical bytes that the version is computed from. */
  public static byte[] canonicalJson(Snapshot snapshot) {
    try {
      return CANONICAL.writeValueAsBytes(snapshot);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("snapshot is not serializable", e);
    }
  }

  private static String hash(Snapshot unversioned) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonicalJson(unversioned));
      return HexFormat.of().formatHex(digest).substring(0, VERSION_LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
