package dev.portico.dataplane.ratelimit;

import dev.portico.dataplane.auth.Identity;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What one limit counts by, and how a request's key value is found: the client address (after
 * trusted-hop handling), a request header (its first value), a verified JWT claim, the
 * authenticated consumer, the route, or nothing.
 *
 * <p>A request without the header is counted under one shared "absent" value, so leaving the header
 * out is no way around the limit. Header values longer than {@value #MAX_VALUE_LENGTH} characters
 * are replaced by their SHA-256, so a client cannot make a bucket hold kilobytes.
 */
record LimitKey(Type type, String header, String route, String claim) {
  /** Longest header value kept as is. */
  static final int MAX_VALUE_LENGTH = 128;

  /** The key of requests without the header: NUL cannot appear in a header value. */
  static final String ABSENT = "\0absent";

  private static final String SHARED = "";

  enum Type {
    ClientAddress,
    Header,
    JwtClaim,
    Consumer,
    Route,
    None
  }

  static LimitKey of(String type, String header, String route, String claim) {
    return new LimitKey(type == null ? Type.None : Type.valueOf(type), header, route, claim);
  }

  /**
   * The key value of a request; {@code clientAddress} is only read for ClientAddress keys, {@code
   * identity} (what the security stage established, or null) for JwtClaim and Consumer keys.
   */
  String value(MultiMap headers, String clientAddress, Identity identity) {
    return switch (type) {
      case ClientAddress -> clientAddress == null ? ABSENT : clientAddress;
      case Header -> bounded(headers.get(header));
      case JwtClaim -> bounded(claimValue(identity, claim));
      case Consumer -> bounded(consumer(identity));
      case Route -> route;
      case None -> SHARED;
    };
  }

  /** A string or number claim of a verified JWT; anything else counts as absent. */
  private static String claimValue(Identity identity, String claim) {
    if (identity == null || !"jwt".equals(identity.method())) {
      return null;
    }
    Object value = identity.claims().get(claim);
    return value instanceof String || value instanceof Number ? value.toString() : null;
  }

  /** The authenticated caller: the API-key consumer or Basic user, else the JWT subject. */
  private static String consumer(Identity identity) {
    if (identity == null || !identity.authenticated()) {
      return null;
    }
    return identity.consumer() != null ? identity.consumer() : identity.subject();
  }

  private static String bounded(String value) {
    if (value == null) {
      return ABSENT;
    }
    if (value.length() <= MAX_VALUE_LENGTH) {
      return value;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
