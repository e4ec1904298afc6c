package dev.portico.dataplane.proxy;

import io.vertx.core.MultiMap;
import java.util.Arrays;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * Copies headers across the proxy in either direction without the hop-by-hop ones (RFC 9110 7.6.1):
 * the fixed list plus every header the {@code Connection} header names, which is how a client could
 * otherwise make the gateway strip or keep a header of its choosing.
 */
public final class HopByHopHeaders {
  private static final Set<String> FIXED =
      names(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "http2-settings");

  private HopByHopHeaders() {}

  /**
   * A set of header names that ignores case, for {@link #copy}'s {@code skip}: header names are
   * compared as they arrive, without a lower-case copy of each one per request.
   */
  public static Set<String> names(String... names) {
    Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    set.addAll(Arrays.asList(names));
    return Collections.unmodifiableSet(set);
  }

  /**
   * Copies {@code from} into {@code to}, leaving out hop-by-hop headers and those in {@code skip}.
   *
   * @param skip names the caller sets itself (Host, proxy headers), from {@link #names}
   */
  public static void copy(MultiMap from, MultiMap to, Set<String> skip) {
    Set<String> named = connectionNamed(from);
    for (var e : from) {
      String name = e.getKey();
      // HTTP/2 pseudo-headers (":path") never travel as fields of an HTTP/1.1 request.
      if (!FIXED.contains(name)
          && !skip.contains(name)
          && !named.contains(name)
          && !name.startsWith(":")) {
        to.add(name, e.getValue());
      }
    }
  }

  /** The names the Connection header lists, beyond the fixed hop-by-hop ones (usually none). */
  private static Set<String> connectionNamed(MultiMap headers) {
    Set<String> out = null;
    for (String value : headers.getAll("connection")) {
      int start = 0;
      while (start <= value.length()) {
        int comma = value.indexOf(',', start);
        int end = comma < 0 ? value.length() : comma;
        String token = value.substring(start, end).trim();
        if (!token.isEmpty() && !FIXED.contains(token)) {
          if (out == null) {
            out = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
          }
          out.add(token);
        }
        start = end + 1;
      }
    }
    return out == null ? Set.of() : out;
  }
}
