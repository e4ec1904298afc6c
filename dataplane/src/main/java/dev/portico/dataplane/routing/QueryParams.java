package dev.portico.dataplane.routing;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The query parameters of one request, parsed from the raw query only when a route with query
 * conditions asks; most requests never pay for it. Not thread-safe: one per request.
 *
 * <p>Names and values are percent-decoded as UTF-8 and {@code +} reads as a space, as the
 * form-encoding convention that backend frameworks apply; malformed escapes are kept literally
 * rather than failing the request. The first occurrence of a name wins.
 */
public final class QueryParams {
  private final String rawQuery;
  private Map<String, String> first;

  /**
   * @param rawQuery the query after {@code ?}, undecoded; null or empty for none
   */
  public QueryParams(String rawQuery) {
    this.rawQuery = rawQuery;
  }

  /** The first decoded value of {@code name}, "" for a name without {@code =}, or null. */
  public String first(String name) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return null;
    }
    if (first == null) {
      first = parse(rawQuery);
    }
    return first.get(name);
  }

  private static Map<String, String> parse(String query) {
    Map<String, String> out = new HashMap<>();
    int i = 0;
    while (i <= query.length()) {
      int amp = query.indexOf('&', i);
      int end = amp < 0 ? query.length() : amp;
      if (end > i) {
        int eq = query.indexOf('=', i);
        if (eq < 0 || eq > end) {
          out.putIfAbsent(decode(query, i, end), "");
        } else {
          out.putIfAbsent(decode(query, i, eq), decode(query, eq + 1, end));
        }
      }
      i = end + 1;
    }
    return out;
  }

  static String decode(String s, int from, int to) {
    boolean plain = true;
    for (int i = from; i < to && plain; i++) {
      char c = s.charAt(i);
      plain = c != '%' && c != '+';
    }
    if (plain) {
      return s.substring(from, to);
    }
    StringBuilder out = new StringBuilder(to - from);
    // Consecutive escapes are one UTF-8 sequence: collect their bytes, then decode them together.
    byte[] bytes = new byte[(to - from) / 3];
    int i = from;
    while (i < to) {
      int n = 0;
      while (i + 2 < to && s.charAt(i) == '%') {
        int hi = PathNormalizer.hex(s.charAt(i + 1));
        int lo = PathNormalizer.hex(s.charAt(i + 2));
        if (hi < 0 || lo < 0) {
          break;
        }
        bytes[n++] = (byte) (hi << 4 | lo);
        i += 3;
      }
      if (n > 0) {
        out.append(new String(bytes, 0, n, StandardCharsets.UTF_8));
        continue;
      }
      char c = s.charAt(i++);
      out.append(c == '+' ? ' ' : c);
    }
    return out.toString();
  }
}
