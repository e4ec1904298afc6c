package dev.portico.dataplane.cors;

import dev.portico.snapshot.CorsOrigin;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether a request's Origin is one a CORS filter allows: {@code *} (every origin but {@code
 * null}), exact origins and {@code null} by one set lookup, wildcard subdomains by one lookup per
 * label of the request's host. Origins compare as {@link CorsOrigin} normalizes them.
 */
final class AllowedOrigins {
  private final boolean any;
  private final Set<String> exact = new HashSet<>();
  private final Set<String> wildcards = new HashSet<>();

  /**
   * @param patterns as the snapshot holds them: {@code *}, {@code null}, or normalized origins
   * @throws IllegalArgumentException for an entry that is none of these
   */
  AllowedOrigins(List<String> patterns) {
    boolean anyOrigin = false;
    for (String p : patterns) {
      if (p.equals(CorsOrigin.ANY)) {
        anyOrigin = true;
      } else if (p.equals(CorsOrigin.NULL)) {
        exact.add(p);
      } else {
        CorsOrigin origin = CorsOrigin.parsePattern(p);
        if (origin == null) {
          throw new IllegalArgumentException("allowOrigins entry '" + p + "' is not an origin");
        }
        (origin.isWildcard() ? wildcards : exact).add(origin.toString());
      }
    }
    this.any = anyOrigin;
  }

  /** True when every origin but {@code null} is allowed. */
  boolean any() {
    return any;
  }

  boolean allows(String origin) {
    if (exact.contains(origin)) {
      return true; // browsers send origins normalized already
    }
    if (origin.equals(CorsOrigin.NULL)) {
      return false;
    }
    if (any) {
      return true;
    }
    CorsOrigin o = CorsOrigin.parse(origin);
    if (o == null) {
      return false;
    }
    if (exact.contains(o.toString())) {
      return true;
    }
    if (wildcards.isEmpty()) {
      return false;
    }
    String host = o.host();
    String prefix = o.scheme() + "://*";
    String port = o.port() < 0 ? "" : ":" + o.port();
    // https://a.b.example.com tries https://*.b.example.com, https://*.example.com, https://*.com.
    for (int dot = host.indexOf('.'); dot > 0; dot = host.indexOf('.', dot + 1)) {
      if (wildcards.contains(prefix + host.substring(dot) + port)) {
        return true;
      }
    }
    return false;
  }
}
