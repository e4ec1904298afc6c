package dev.portico.dataplane.cors;

import dev.portico.snapshot.CorsConfig;
import dev.portico.snapshot.HttpTokens;
import io.vertx.core.MultiMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A rule's CORS filter prepared once per snapshot: origin matchers, method and header sets and the
 * joined field values, so a request costs a few set lookups. Decides preflights and the CORS fields
 * of actual requests as the Fetch standard's CORS protocol reads them.
 */
public final class CorsPolicy {
  /** CORS-safelisted methods: browsers send them without asking, so they always pass. */
  private static final Set<String> SAFELISTED_METHODS = Set.of("GET", "HEAD", "POST");

  /** Longest method or header name a refusal names; longer ones are not echoed back. */
  private static final int MAX_NAMED = 64;

  private final AllowedOrigins origins;
  private final boolean credentials;
  private final boolean anyMethod;
  private final Set<String> methods;
  private final String allowMethods;
  private final boolean anyHeader;
  private final Set<String> headers;
  private final String exposeHeaders;
  private final String maxAge;
  private final CorsResponse anyOrigin;

  private CorsPolicy(CorsConfig c) {
    this.origins = new AllowedOrigins(c.allowOrigins());
    this.credentials = c.allowCredentials();
    this.anyMethod = c.allowMethods().contains(CorsConfig.ANY);
    this.methods = Set.copyOf(c.allowMethods());
    this.allowMethods = c.allowMethods().isEmpty() ? null : String.join(", ", c.allowMethods());
    this.anyHeader = c.allowHeaders().contains(CorsConfig.ANY);
    this.headers = new HashSet<>();
    c.allowHeaders().forEach(h -> headers.add(h.toLowerCase(Locale.ROOT)));
    this.exposeHeaders = c.exposeHeaders().isEmpty() ? null : String.join(", ", c.exposeHeaders());
    this.maxAge = Integer.toString(c.maxAgeSeconds());
    this.anyOrigin = new CorsResponse("*", false, exposeHeaders);
  }

  /**
   * @throws IllegalArgumentException when an allowOrigins entry is not an origin (the snapshot did
   *     not come from the compiler)
   */
  public static CorsPolicy of(CorsConfig config) {
    return new CorsPolicy(config);
  }

  /**
   * The CORS fields of the answer to an actual request.
   *
   * @param origin the request's Origin, or null
   */
  public CorsResponse response(String origin) {
    if (origin == null || !origins.allows(origin)) {
      return CorsResponse.VARY_ONLY;
    }
    // '*' never goes with credentials (admission refuses it): then the origin is echoed.
    return origins.any() && !credentials
        ? anyOrigin
        : new CorsResponse(origin, credentials, exposeHeaders);
  }

  /**
   * Decides a preflight. When it is allowed, writes the answer's CORS fields into {@code out} and
   * returns null; otherwise writes nothing and returns what is not allowed, for the refusal.
   *
   * @param method the Access-Control-Request-Method
   * @param requestHeaders the Access-Control-Request-Headers fields (comma-separated names)
   */
  public String preflight(String origin, String method, List<String> requestHeaders, MultiMap out) {
    if (origin == null || !origins.allows(origin)) {
      return "the origin is not allowed by the route's CORS filter (allowOrigins)";
    }
    if (!HttpTokens.isToken(method)
        || !anyMethod && !SAFELISTED_METHODS.contains(method) && !methods.contains(method)) {
      return "the method "
          + named(method)
          + "is not allowed by the route's CORS filter (allowMethods)";
    }
    StringBuilder asked = new StringBuilder();
    for (String field : requestHeaders) {
      for (String part : field.split(",")) {
        String name = part.trim().toLowerCase(Locale.ROOT);
        if (name.isEmpty()) {
          continue;
        }
        if (!HttpTokens.isToken(name) || !anyHeader && !headers.contains(name)) {
          return "the request header "
              + named(name)
              + "is not allowed by the route's CORS filter (allowHeaders)";
        }
        asked.append(asked.isEmpty() ? "" : ", ").append(name);
      }
    }
    out.set(CorsHeaders.ALLOW_ORIGIN, origins.any() && !credentials ? "*" : origin);
    if (credentials) {
      out.set(CorsHeaders.ALLOW_CREDENTIALS, "true");
    }
    // '*' answers with the method asked for: valid with or without credentials.
    String allowed = anyMethod ? method : allowMethods;
    if (allowed != null) {
      out.set(CorsHeaders.ALLOW_METHODS, allowed);
    }
    // The names asked for, each checked: a '*' answer would not cover Authorization.
    if (!asked.isEmpty()) {
      out.set(CorsHeaders.ALLOW_HEADERS, asked.toString());
    }
    out.set(CorsHeaders.MAX_AGE, maxAge);
    out.set(CorsHeaders.VARY, CorsHeaders.PREFLIGHT_VARY);
    return null;
  }

  /** The name followed by a space when it is a short token, else nothing: never echo junk. */
  private static String named(String name) {
    return HttpTokens.isToken(name) && name.length() <= MAX_NAMED ? name + " " : "";
  }
}
