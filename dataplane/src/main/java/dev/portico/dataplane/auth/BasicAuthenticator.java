package dev.portico.dataplane.auth;

import com.github.benmanes.caffeine.cache.Cache;
import dev.portico.snapshot.AuthSecretConfig.HtpasswdEntry;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * HTTP Basic against htpasswd bcrypt entries. bcrypt is slow on purpose (tens of milliseconds), so
 * it runs on the bounded worker pool of {@link AuthServices}, never on the event loop; a successful
 * check is remembered for a short while (by a hash of user, password and stored hash, so a changed
 * password or a removed user is not served from it).
 */
final class BasicAuthenticator {
  /** A well-formed hash no password matches: unknown users cost the same time as known ones. */
  private static final String DUMMY_HASH =
      OpenBSDBCrypt.generate("2y", "no password matches".toCharArray(), new byte[16], 10);

  private final Map<String, String> users = new HashMap<>();
  private final AuthServices services;

  BasicAuthenticator(List<HtpasswdEntry> entries, AuthServices services) {
    entries.forEach(e -> users.put(e.user(), e.hash()));
    this.services = services;
  }

  /** The user's identity; fails with {@link InvalidCredentialException} on a wrong password. */
  Future<Identity> verify(String headerValue) {
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(headerValue.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new InvalidCredentialException("basic encoding"));
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0 || decoded.length() > 1024) {
      return Future.failedFuture(new InvalidCredentialException("basic format"));
    }
    String user = decoded.substring(0, colon);
    String password = decoded.substring(colon + 1);
    String hash = users.get(user);
    String stored = hash == null ? DUMMY_HASH : hash;
    Identity identity = new Identity("basic", null, user, List.of(), Map.of(), List.of());
    Cache<String, Boolean> cache = services.basicCache();
    String cacheKey =
        HexFormat.of()
            .formatHex(ApiKeyAuthenticator.sha256(user + '\u0000' + password + '\u0000' + stored));
    if (hash != null && cache.getIfPresent(cacheKey) != null) {
      return Future.succeededFuture(identity);
    }
    return services
        .bcrypt(() -> checkPassword(stored, password))
        .compose(
            ok -> {
              if (!ok || hash == null) {
                return Future.failedFuture(new InvalidCredentialException("basic password"));
              }
              cache.put(cacheKey, Boolean.TRUE);
              return Future.succeededFuture(identity);
            });
  }

  private static boolean checkPassword(String hash, String password) {
    try {
      return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
