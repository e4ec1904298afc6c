package dev.portico.dataplane.accesslog;

import java.time.Instant;

/**
 * One answered request, built by the proxy pipeline when the response ends and handed to {@link
 * AccessLog}.
 *
 * @param requestId the id the gateway put on the request (and on its problem responses)
 * @param clientAddress the client address after trusted-hop X-Forwarded-For processing
 * @param path the normalized path without the query string: queries may carry credentials, so the
 *     constructor cuts anything from the first {@code ?} even if a caller passes a full URI
 * @param protocol {@code HTTP/1.1} or {@code HTTP/2}
 * @param route the rule id, or null when no rule matched
 * @param upstream the endpoint address that answered, or null when no backend was called
 * @param upstreamMillis time spent waiting for the backend, or -1 when none was called
 * @param bytesSent response body bytes written to the client
 */
public record AccessLogEntry(
    Instant timestamp,
    String requestId,
    String clientAddress,
    String method,
    String host,
    String path,
    String protocol,
    int status,
    String route,
    String upstream,
    long durationMillis,
    long upstreamMillis,
    long bytesSent,
    String userAgent) {

  public AccessLogEntry {
    path = withoutQuery(path);
  }

  private static String withoutQuery(String path) {
    if (path == null) {
      return null;
    }
    int query = path.indexOf('?');
    int fragment = path.indexOf('#');
    int end = query < 0 ? fragment : fragment < 0 ? query : Math.min(query, fragment);
    return end < 0 ? path : path.substring(0, end);
  }
}
