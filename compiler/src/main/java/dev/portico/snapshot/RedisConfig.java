package dev.portico.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The Redis server a DataPlane's replicas share Global rate-limit counters through, with its
 * password resolved from the DataPlane's Secret by the compiler and carried over the operator's TLS
 * channel. {@link #toString()} never shows the password; views for people use {@link #redacted()}.
 *
 * @param address host:port
 * @param username ACL user, or null for the default user
 * @param password null for none
 * @param passwordSecret {@code namespace/name} of the Secret the password came from, or null
 * @param timeoutMillis longest one rate-limit step may take before the failure policy decides
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RedisConfig(
    String address,
    int database,
    String username,
    String password,
    String passwordSecret,
    boolean tls,
    long timeoutMillis) {
  /** What replaces the password in views for people. */
  public static final String REDACTED = TlsCertificate.REDACTED;

  /** The same settings without the password. */
  public RedisConfig redacted() {
    return new RedisConfig(
        address,
        database,
        username,
        password == null ? null : REDACTED,
        passwordSecret,
        tls,
        timeoutMillis);
  }

  /** {@code redis[s]://host:port/db}, without credentials. */
  public String connectionString() {
    return (tls ? "rediss://" : "redis://") + address + "/" + database;
  }

  @Override
  public String toString() {
    return "RedisConfig["
        + connectionString()
        + (username == null ? "" : ", user=" + username)
        + (password == null ? "" : ", password=" + REDACTED)
        + ", timeoutMillis="
        + timeoutMillis
        + "]";
  }
}
