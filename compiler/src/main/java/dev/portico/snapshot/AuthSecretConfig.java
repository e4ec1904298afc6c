package dev.portico.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Key material resolved by the compiler from a Secret that a rule's (or the DataPlane's default)
 * security names, carried to the replicas over the operator's TLS channel. One kind per ref: a JWK
 * Set, API-key hashes or htpasswd entries. {@link #toString()} never shows material; views for
 * people use {@link #redacted()}.
 *
 * @param ref {@code jwks:namespace/name/key}, {@code apikeys:namespace/name} or {@code
 *     htpasswd:namespace/name}; what {@link SecurityConfig} refers to
 * @param jwks the JWK Set as JSON, public parts of asymmetric keys only (symmetric {@code oct} keys
 *     kept whole: they are the secret)
 * @param apiKeys API keys by the hex SHA-256 of the key, sorted by hash; the keys themselves are
 *     not in the snapshot
 * @param users htpasswd entries, sorted by user
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record AuthSecretConfig(
    String ref, String jwks, List<ApiKeyEntry> apiKeys, List<HtpasswdEntry> users) {

  public AuthSecretConfig {
    apiKeys = Lists.copy(apiKeys);
    users = Lists.copy(users);
  }

  /** The same ref without material that matters: consumers and users stay visible. */
  public AuthSecretConfig redacted() {
    return new AuthSecretConfig(
        ref,
        jwks == null ? null : TlsCertificate.REDACTED,
        apiKeys.stream()
            .map(k -> new ApiKeyEntry(TlsCertificate.REDACTED, k.consumer(), k.groups()))
            .toList(),
        users.stream().map(u -> new HtpasswdEntry(u.user(), TlsCertificate.REDACTED)).toList());
  }

  @Override
  public String toString() {
    return "AuthSecretConfig[ref="
        + ref
        + (jwks == null ? "" : ", jwks=" + TlsCertificate.REDACTED)
        + (apiKeys.isEmpty() ? "" : ", apiKeys=" + apiKeys.size())
        + (users.isEmpty() ? "" : ", users=" + users.size())
        + "]";
  }

  /**
   * One API key.
   *
   * @param sha256 lower-case hex SHA-256 of the key's UTF-8 bytes
   * @param consumer the consumer it identifies
   * @param groups the consumer's groups, sorted
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record ApiKeyEntry(String sha256, String consumer, List<String> groups) {
    public ApiKeyEntry {
      groups = Lists.copy(groups);
    }

    @Override
    public String toString() {
      return "ApiKeyEntry[consumer=" + consumer + ", groups=" + groups + "]";
    }
  }

  /**
   * One htpasswd line.
   *
   * @param hash a bcrypt hash ({@code $2a$}, {@code $2b$} or {@code $2y$})
   */
  public record HtpasswdEntry(String user, String hash) {
    @Override
    public String toString() {
      return "HtpasswdEntry[user=" + user + "]";
    }
  }
}
