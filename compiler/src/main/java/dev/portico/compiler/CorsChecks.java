package dev.portico.compiler;

import dev.portico.api.route.CorsFilter;
import dev.portico.snapshot.CorsConfig;
import dev.portico.snapshot.CorsOrigin;
import dev.portico.snapshot.HttpTokens;
import java.util.List;

/**
 * Checks of a CORS filter that admission cannot make (port ranges and host label lengths in
 * allowOrigins), plus the schema's rules again for files that no API server admitted; part of
 * {@link RuleChecks}. A problem refuses the route ({@code Accepted=False}).
 */
final class CorsChecks {
  private CorsChecks() {}

  static void check(CorsFilter c, String at, List<Problem> problems) {
    if (c.allowOrigins == null || c.allowOrigins.isEmpty()) {
      problems.add(invalid(at + ".allowOrigins needs at least one origin"));
    } else {
      for (int i = 0; i < c.allowOrigins.size(); i++) {
        String origin = c.allowOrigins.get(i);
        if (origin == null || origin.equals(CorsOrigin.ANY) || origin.equals(CorsOrigin.NULL)) {
          continue;
        }
        String problem = CorsOrigin.problem(origin);
        if (problem != null) {
          problems.add(invalid(at + ".allowOrigins[" + i + "] '" + origin + "' " + problem));
        }
      }
    }
    tokens(c.allowMethods, at + ".allowMethods", problems);
    tokens(c.allowHeaders, at + ".allowHeaders", problems);
    tokens(c.exposeHeaders, at + ".exposeHeaders", problems);
    boolean credentials = Boolean.TRUE.equals(c.allowCredentials);
    wildcard(c.allowOrigins, at + ".allowOrigins", credentials, problems);
    wildcard(c.allowMethods, at + ".allowMethods", credentials, problems);
    wildcard(c.allowHeaders, at + ".allowHeaders", credentials, problems);
    wildcard(c.exposeHeaders, at + ".exposeHeaders", credentials, problems);
    if (c.maxAge != null && (c.maxAge < 0 || c.maxAge > 86_400)) {
      problems.add(invalid(at + ".maxAge must be 0 to 86400 seconds"));
    }
  }

  private static void tokens(List<String> values, String at, List<Problem> problems) {
    if (values == null) {
      return;
    }
    for (int i = 0; i < values.size(); i++) {
      String v = values.get(i);
      if (!HttpTokens.isToken(v)) {
        problems.add(
            invalid(at + "[" + i + "] is not a method or header name (an RFC 9110 token)"));
      }
    }
  }

  /** '*' stands alone, and never with credentials: browsers take it literally then. */
  private static void wildcard(
      List<String> values, String at, boolean credentials, List<Problem> problems) {
    if (values == null || !values.contains(CorsConfig.ANY)) {
      return;
    }
    if (values.size() > 1) {
      problems.add(invalid(at + ": '*' allows every value and cannot be combined with others"));
    }
    if (credentials) {
      problems.add(
          invalid(
              at
                  + ": '*' cannot be combined with allowCredentials: browsers ignore a wildcard on"
                  + " credentialed requests; list the values instead"));
    }
  }

  private static Problem invalid(String message) {
    return SpecValidationPass.invalid(message);
  }
}
