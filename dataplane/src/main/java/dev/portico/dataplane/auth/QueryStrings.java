package dev.portico.dataplane.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** Reads and removes credential parameters of a raw (undecoded) query string. */
public final class QueryStrings {
  private QueryStrings() {}

  /** The first value of {@code name}, decoded; null when absent or undecodable. */
  public static String value(String rawQuery, String name) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return null;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (decode(key).equals(name)) {
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        return value.isEmpty() ? null : value;
      }
    }
    return null;
  }

  /** The query without any parameter named in {@code names}; null when nothing is left. */
  public static String without(String rawQuery, Set<String> names) {
    if (rawQuery == null || names.isEmpty()) {
      return rawQuery;
    }
    StringBuilder out = new StringBuilder(rawQuery.length());
    for (String pair : rawQuery.split("&", -1)) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (names.contains(decode(key))) {
        continue;
      }
      if (out.length() > 0) {
        out.append('&');
      }
      out.append(pair);
    }
    return out.length() == 0 ? null : out.toString();
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}
