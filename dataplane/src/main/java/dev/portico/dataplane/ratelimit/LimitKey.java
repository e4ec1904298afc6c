package dev.portico.dataplane.ratelimit;

import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What one limit counts by, and how a request's key value is found: the client address (after
 * trusted-hop handling), a request header (its first value), the route, or nothing.
 *
 * <p>A request without the header is counted under one shared "absent" value, so leaving the header
 * out is no way around the limit. Header values longer than {@value #MAX_VALUE_LENGTH} characters
 * are replaced by their SHA-256, so a client cannot make a bucket hold kilobytes.
 */
record LimitKey(Type type, String header, String route) {
  /** Longest header value kept as is. */
  static final int MAX_VALUE_LENGTH = 128;

  /** The key of requests without the header: NUL cannot appear in a header value. */
  static final String ABSENT = "\0absent";

  private static final String SHARED = "";

  enum Type {
    ClientAddress,
    Header,
    Route,
    None
  }

  static LimitKey of(String type, String header, String route) {
    return new LimitKey(type == null ? Type.None : Type.valueOf(type), header, route);
  }

  /** The key value of a request; {@code clientAddress} is only read for ClientAddress keys. */
  String value(MultiMap headers, String clientAddress) {
    return switch (type) {
      case ClientAddress -> clientAddress == null ? ABSENT : clientAddress;
      case Header -> headerValue(headers.get(header));
      case Route -> route;
      case None -> SHARED;
    };
  }

  private static String headerValue(String value) {
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
