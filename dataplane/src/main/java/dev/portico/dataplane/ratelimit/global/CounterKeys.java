package dev.portico.dataplane.ratelimit.global;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Redis key of a counter: a fixed prefix and a hash of the counter's identity (limit id, route, key
 * value). The identity may hold client-chosen text (a header value) of any length; the hash keeps
 * every Redis key 34 bytes and never puts client text in Redis.
 */
final class CounterKeys {
  static final String PREFIX = "portico:rl:";

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
          });

  private CounterKeys() {}

  /** 128 bits of SHA-256, base64url: collisions are not a concern at any realistic key count. */
  static String of(String identity) {
    byte[] digest = SHA256.get().digest(identity.getBytes(StandardCharsets.UTF_8));
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
  }
}
