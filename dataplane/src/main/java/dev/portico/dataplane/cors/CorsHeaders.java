package dev.portico.dataplane.cors;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The CORS protocol's header fields, and the edits every CORS answer shares. */
public final class CorsHeaders {
  public static final String ORIGIN = "origin";
  public static final String REQUEST_METHOD = "access-control-request-method";
  public static final String REQUEST_HEADERS = "access-control-request-headers";
  static final String ALLOW_ORIGIN = "access-control-allow-origin";
  static final String ALLOW_CREDENTIALS = "access-control-allow-credentials";
  static final String ALLOW_METHODS = "access-control-allow-methods";
  static final String ALLOW_HEADERS = "access-control-allow-headers";
  static final String EXPOSE_HEADERS = "access-control-expose-headers";
  static final String MAX_AGE = "access-control-max-age";
  public static final String VARY = "vary";

  /** A preflight's answer depends on all three request fields; caches must keep them apart. */
  public static final String PREFLIGHT_VARY =
      "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

  private static final String PREFIX = "access-control-";

  private CorsHeaders() {}

  /** OPTIONS with Origin and Access-Control-Request-Method: a browser asking before it sends. */
  public static boolean isPreflight(HttpServerRequest req) {
    return req.method() == HttpMethod.OPTIONS
        && req.headers().contains(ORIGIN)
        && req.headers().contains(REQUEST_METHOD);
  }

  /**
   * True for the fields of a CORS rule's answer that its gateway-made errors keep: Access-Control-*
   * and Vary.
   */
  public static boolean isCorsField(String lowerCaseName) {
    return lowerCaseName.startsWith(PREFIX) || lowerCaseName.equals(VARY);
  }

  /** Removes every Access-Control-* field. */
  static void removeAccessControl(MultiMap headers) {
    List<String> names = null;
    for (String name : headers.names()) {
      if (name.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
        if (names == null) {
          names = new ArrayList<>(4);
        }
        names.add(name);
      }
    }
    if (names != null) {
      names.forEach(headers::remove);
    }
  }

  /**
   * Sets one Vary field listing what it listed before (in one field or several) and then Origin,
   * once; {@code Vary: *} already says everything and stays as it is.
   */
  static void varyOnOrigin(MultiMap headers) {
    List<String> values = headers.getAll(VARY);
    if (values.isEmpty()) {
      headers.set(VARY, "Origin");
      return;
    }
    StringBuilder out = new StringBuilder();
    List<String> seen = new ArrayList<>();
    for (String value : values) {
      for (String token : value.split(",")) {
        String t = token.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        if (t.equals("*")) {
          headers.set(VARY, "*");
          return;
        }
        if (!t.isEmpty() && !lower.equals(ORIGIN) && !seen.contains(lower)) {
          seen.add(lower);
          out.append(t).append(", ");
        }
      }
    }
    headers.set(VARY, out.append("Origin").toString());
  }
}
