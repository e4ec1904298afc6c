package dev.portico.dataplane.filter;

import dev.portico.dataplane.routing.NormalizedPath;
import dev.portico.dataplane.routing.RouteMatch;
import dev.portico.snapshot.RedirectConfig;
import io.vertx.core.http.HttpServerResponse;

/**
 * Answers a rule's RequestRedirect action: builds {@code Location} from the request and the parts
 * the rule overrides (scheme, hostname, port, path), then ends the response without a backend.
 */
public final class RedirectFilter {
  private RedirectFilter() {}

  /**
   * The redirect target.
   *
   * @param scheme the request's scheme
   * @param host the request's host name without port
   * @param port the port the request came in on
   */
  public static String location(
      RedirectConfig redirect,
      String scheme,
      String host,
      int port,
      RouteMatch match,
      NormalizedPath path) {
    String newScheme = redirect.scheme() != null ? redirect.scheme() : scheme;
    String newHost = redirect.hostname() != null ? redirect.hostname() : host;
    int newPort;
    if (redirect.port() != null) {
      newPort = redirect.port();
    } else if (redirect.scheme() != null && !redirect.scheme().equals(scheme)) {
      // Gateway API: a scheme change without a port goes to that scheme's well-known port.
      newPort = wellKnownPort(newScheme);
    } else {
      newPort = port;
    }
    StringBuilder out = new StringBuilder(newScheme).append("://").append(newHost);
    if (newPort != wellKnownPort(newScheme)) {
      out.append(':').append(newPort);
    }
    out.append(UrlRewriteFilter.rewrite(redirect.path(), match, path));
    if (path.rawQuery() != null) {
      out.append('?').append(path.rawQuery());
    }
    return out.toString();
  }

  public static void send(HttpServerResponse response, RedirectConfig redirect, String location) {
    response.setStatusCode(redirect.statusCode() == 0 ? 302 : redirect.statusCode());
    response.putHeader("location", location);
    response.putHeader("content-length", "0");
    response.end();
  }

  private static int wellKnownPort(String scheme) {
    return "https".equalsIgnoreCase(scheme) ? 443 : 80;
  }
}
