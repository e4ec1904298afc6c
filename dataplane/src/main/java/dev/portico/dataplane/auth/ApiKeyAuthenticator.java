package dev.portico.dataplane.auth;

import dev.portico.snapshot.AuthSecretConfig.ApiKeyEntry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * API keys looked up by their SHA-256: the snapshot holds hashes only, and the lookup compares the
 * full digest in constant time ({@link MessageDigest#isEqual}). Hashing first also means the time a
 * lookup takes tells nothing about how much of a guess was right.
 */
final class ApiKeyAuthenticator {
  /** Longer presented keys are refused unhashed. */
  static final int MAX_KEY_LENGTH = 1024;

  private record Known(byte[] digest, ApiKeyEntry entry) {}

  private final Map<String, Known> byHash = new HashMap<>();

  ApiKeyAuthenticator(List<ApiKeyEntry> keys) {
    HexFormat hex = HexFormat.of();
    for (ApiKeyEntry k : keys) {
      byHash.put(k.sha256(), new Known(hex.parseHex(k.sha256()), k));
    }
  }

  /** The identity of the key's consumer; fails when the key is unknown (or revoked). */
  Identity verify(String key) throws InvalidCredentialException {
    if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      throw new InvalidCredentialException("api key");
    }
    byte[] digest = sha256(key);
    Known known = byHash.get(HexFormat.of().formatHex(digest));
    if (known == null || !MessageDigest.isEqual(known.digest(), digest)) {
      throw new InvalidCredentialException("api key");
    }
    ApiKeyEntry e = known.entry();
    return new Identity("apikey", null, e.consumer(), e.groups(), Map.of(), List.of());
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
