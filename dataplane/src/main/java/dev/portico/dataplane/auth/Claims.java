package dev.portico.dataplane.auth;

import java.util.Collection;
import java.util.StringJoiner;

/** Claim values as conditions and headers read them. */
final class Claims {
  /** Longest claim value copied into a header. */
  static final int MAX_HEADER_VALUE = 4096;

  private Claims() {}

  static boolean test(Object claim, String test, String value) {
    if (claim == null) {
      return false;
    }
    return switch (test) {
      case "equals" -> !(claim instanceof Collection<?>) && scalar(claim).equals(value);
      case "contains" -> {
        if (claim instanceof Collection<?> list) {
          yield list.stream().anyMatch(e -> e != null && scalar(e).equals(value));
        }
        if (claim instanceof String s) {
          for (String word : s.split(" ")) {
            if (word.equals(value)) {
              yield true;
            }
          }
        }
        yield false;
      }
      case "includes" ->
          claim instanceof Collection<?> list
              ? list.stream().anyMatch(e -> e != null && scalar(e).equals(value))
              : claim instanceof String s && s.equals(value);
      default -> false;
    };
  }

  /**
   * The claim as a header value, or null when it cannot be one: control or non-ASCII characters
   * (which HTTP/1.1 fields cannot carry faithfully), or too long.
   */
  static String headerValue(Object claim) {
    if (claim == null) {
      return null;
    }
    String text;
    if (claim instanceof Collection<?> list) {
      StringJoiner j = new StringJoiner(",");
      list.forEach(e -> j.add(e == null ? "" : scalar(e)));
      text = j.toString();
    } else {
      text = scalar(claim);
    }
    if (text.length() > MAX_HEADER_VALUE) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 && c != '\t' || c >= 0x7f) {
        return null;
      }
    }
    return text;
  }

  private static String scalar(Object o) {
    if (o instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
      return Long.toString(d.longValue());
    }
    return o.toString();
  }
}
