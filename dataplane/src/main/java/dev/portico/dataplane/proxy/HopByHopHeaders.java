package dev.portico.dataplane.proxy;

import io.vertx.core.MultiMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Copies headers across the proxy in either direction without the hop-by-hop ones (RFC 9110 7.6.1):
 * the fixed list plus every header the {@code Connection} header names, which is how a client could
 * otherwise make the gateway strip or keep a header of its choosing.
 */
public final class HopByHopHeaders {
  private static final Set<String> FIXED =
      Set.of(
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
   * Copies {@code from} into {@code to}, leaving out hop-by-hop headers and those in {@code skip}.
   *
   * @param skip lower-case names the caller sets itself (Host, proxy headers)
   */
  public static void copy(MultiMap from, MultiMap to, Set<String> skip) {
    Set<String> named = connectionNamed(from);
    for (var e : from) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      // HTTP/2 pseudo-headers (":path") never travel as fields of an HTTP/1.1 request.
      if (!FIXED.contains(name)
          && !skip.contains(name)
          && !named.contains(name)
          && !name.startsWith(":")) {
        to.add(e.getKey(), e.getValue());
      }
    }
  }

  public static boolean isHopByHop(String lowerCaseName) {
    return FIXED.contains(lowerCaseName);
  }

  private static Set<String> connectionNamed(MultiMap headers) {
    Set<String> out = null;
    for (String value : headers.getAll("connection")) {
      for (String token : value.split(",")) {
        String t = token.trim().toLowerCase(Locale.ROOT);
        if (!t.isEmpty()) {
          if (out == null) {
            out = new HashSet<>();
          }
          out.add(t);
        }
      }
    }
    return out == null ? Set.of() : out;
  }
}
