package dev.portico.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A rule's CORS filter as the data plane applies it: it answers preflights for the rule and adds
 * the CORS response headers to the rule's answers. Lists are deduplicated in the order written;
 * {@code ["*"]} stands for every value.
 *
 * @param allowOrigins {@code *}, {@code null}, or origins as {@link CorsOrigin#toString()} writes
 *     them, wildcard subdomains ({@code https://*.example.com}) included
 * @param allowMethods method tokens, case-sensitive; GET, HEAD and POST pass without being listed
 * @param allowHeaders lower-case request header names
 * @param exposeHeaders lower-case response header names
 * @param maxAgeSeconds how long a browser may cache a preflight answer
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CorsConfig(
    List<String> allowOrigins,
    List<String> allowMethods,
    List<String> allowHeaders,
    List<String> exposeHeaders,
    boolean allowCredentials,
    int maxAgeSeconds) {
  /** The list entry that stands for every value. */
  public static final String ANY = "*";

  public CorsConfig {
    allowOrigins = Lists.copy(allowOrigins);
    allowMethods = Lists.copy(allowMethods);
    allowHeaders = Lists.copy(allowHeaders);
    exposeHeaders = Lists.copy(exposeHeaders);
  }
}
