package dev.portico.dataplane.cors;

import io.vertx.core.MultiMap;

/**
 * The CORS fields of one answer to an actual (not preflight) request on a CORS rule. Written into
 * the response as soon as the rule is known, so every answer carries them, the gateway's own errors
 * included; written again over a backend's head, whose Access-Control-* fields it replaces.
 */
public final class CorsResponse {
  /**
   * No Origin, or one not allowed: no CORS fields, but {@code Vary: Origin} all the same, so a
   * shared cache never hands this answer to a page whose origin would have got them.
   */
  static final CorsResponse VARY_ONLY = new CorsResponse(null, false, null);

  private final String allowOrigin;
  private final boolean allowCredentials;
  private final String exposeHeaders;

  CorsResponse(String allowOrigin, boolean allowCredentials, String exposeHeaders) {
    this.allowOrigin = allowOrigin;
    this.allowCredentials = allowCredentials;
    this.exposeHeaders = exposeHeaders;
  }

  /** The Access-Control-Allow-Origin value, or null when the origin gets no CORS fields. */
  public String allowOrigin() {
    return allowOrigin;
  }

  public void writeTo(MultiMap headers) {
    if (allowOrigin != null) {
      headers.set(CorsHeaders.ALLOW_ORIGIN, allowOrigin);
      if (allowCredentials) {
        headers.set(CorsHeaders.ALLOW_CREDENTIALS, "true");
      }
      if (exposeHeaders != null) {
        headers.set(CorsHeaders.EXPOSE_HEADERS, exposeHeaders);
      }
    }
    CorsHeaders.varyOnOrigin(headers);
  }

  /**
   * After a backend's head was copied into {@code headers}: drops its Access-Control-* fields (the
   * gateway owns CORS on this rule, and two Access-Control-Allow-Origin fields fail in browsers),
   * writes the gateway's again and adds Origin to the backend's Vary.
   */
  public void replaceUpstream(MultiMap headers) {
    CorsHeaders.removeAccessControl(headers);
    writeTo(headers);
  }
}
