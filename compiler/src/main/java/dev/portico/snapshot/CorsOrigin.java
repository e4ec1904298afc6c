package dev.portico.snapshot;

import java.util.Locale;

/**
 * A serialized origin ({@code scheme://host[:port]}, RFC 6454) normalized for comparison: scheme
 * and host lower case, the port left out when it is the scheme's default. The compiler validates
 * and normalizes a CORS filter's allowOrigins with it and the data plane reads the request's {@code
 * Origin} with it, so both agree on which origins are equal.
 *
 * @param host lower case; in an allowOrigins entry its first label may be {@code *}
 * @param port -1 when absent or the scheme's default
 */
public record CorsOrigin(String scheme, String host, int port) {
  /** The allowOrigins entry that allows every origin (but {@code null}). */
  public static final String ANY = "*";

  /** The origin of sandboxed and {@code file:} documents; allowed only when listed as is. */
  public static final String NULL = "null";

  private static final String EXPECTED =
      "write scheme://host[:port] without a path, https://*.example.com, 'null' or '*'";

  /** A request's {@code Origin}, or null when it is not {@code scheme://host[:port]}. */
  public static CorsOrigin parse(String value) {
    return read(value, false, null);
  }

  /** An allowOrigins entry other than {@code *} and {@code null}, or null when malformed. */
  public static CorsOrigin parsePattern(String value) {
    return read(value, true, null);
  }

  /**
   * Why an allowOrigins entry other than {@code *} and {@code null} is malformed and how to write
   * it, or null when it is fine.
   */
  public static String problem(String value) {
    String[] why = new String[1];
    return read(value, true, why) != null ? null : why[0] + "; " + EXPECTED;
  }

  /** True for an allowOrigins entry whose first host label is {@code *}. */
  public boolean isWildcard() {
    return host.startsWith("*.");
  }

  /** {@code scheme://host[:port]}, the form both sides compare. */
  @Override
  public String toString() {
    return port < 0 ? scheme + "://" + host : scheme + "://" + host + ":" + port;
  }

  private static CorsOrigin read(String value, boolean pattern, String[] why) {
    if (value == null) {
      return fail(why, "is empty");
    }
    int sep = value.indexOf("://");
    if (sep < 1 || !isScheme(value, sep)) {
      return fail(why, "has no scheme");
    }
    String scheme = value.substring(0, sep).toLowerCase(Locale.ROOT);
    String rest = value.substring(sep + 3);
    int hostEnd;
    if (rest.startsWith("[")) {
      hostEnd = rest.indexOf(']') + 1;
      if (hostEnd == 0 || !isIpv6Literal(rest, hostEnd)) {
        return fail(why, "has a malformed IPv6 address");
      }
    } else {
      hostEnd = rest.indexOf(':');
      hostEnd = hostEnd < 0 ? rest.length() : hostEnd;
      String problem = hostProblem(rest.substring(0, hostEnd), pattern);
      if (problem != null) {
        return fail(why, problem);
      }
    }
    String host = rest.substring(0, hostEnd).toLowerCase(Locale.ROOT);
    int port = -1;
    if (hostEnd < rest.length()) {
      port = port(rest, hostEnd + 1);
      if (port < 0) {
        return fail(why, "has a path or a port outside 1-65535");
      }
    }
    if (port == 80 && scheme.equals("http") || port == 443 && scheme.equals("https")) {
      port = -1;
    }
    return new CorsOrigin(scheme, host, port);
  }

  private static boolean isScheme(String value, int end) {
    if (!isAlpha(value.charAt(0))) {
      return false;
    }
    for (int i = 1; i < end; i++) {
      char c = value.charAt(i);
      if (!isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.') {
        return false;
      }
    }
    return true;
  }

  /** DNS-style labels of letters, digits, '-' and '_' (a leading '*' label in patterns). */
  private static String hostProblem(String host, boolean pattern) {
    if (host.isEmpty() || host.length() > 253) {
      return "has no host or one longer than 253 characters";
    }
    int start = 0;
    while (start <= host.length()) {
      int dot = host.indexOf('.', start);
      int end = dot < 0 ? host.length() : dot;
      if (end - start < 1 || end - start > 63) {
        return "has an empty host label or one longer than 63 characters";
      }
      boolean wildcard = start == 0 && end == 1 && host.charAt(0) == '*';
      if (wildcard && (!pattern || dot < 0)) {
        return pattern ? "has '*' as its whole host" : "has '*' in its host";
      }
      for (int i = start; i < end && !wildcard; i++) {
        char c = host.charAt(i);
        if (!isAlpha(c) && !isDigit(c) && c != '-' && c != '_') {
          return switch (c) {
            case '*' -> "has '*' somewhere else than as the whole first host label";
            case '/' -> "has a path (a trailing slash is one)";
            default -> "has a character a host name cannot hold";
          };
        }
      }
      start = end + 1;
    }
    return null;
  }

  private static boolean isIpv6Literal(String rest, int end) {
    boolean colon = false;
    for (int i = 1; i < end - 1; i++) {
      char c = rest.charAt(i);
      colon |= c == ':';
      if (!isDigit(c)
          && !(c >= 'a' && c <= 'f')
          && !(c >= 'A' && c <= 'F')
          && c != ':'
          && c != '.') {
        return false;
      }
    }
    return colon && (end == rest.length() || rest.charAt(end) == ':');
  }

  /**
   * The decimal port from {@code start} to the end, or -1 when empty, not digits or not 1-65535.
   */
  private static int port(String rest, int start) {
    int length = rest.length() - start;
    if (length < 1 || length > 5) {
      return -1;
    }
    int port = 0;
    for (int i = start; i < rest.length(); i++) {
      char c = rest.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      port = port * 10 + (c - '0');
    }
    return port >= 1 && port <= 65535 ? port : -1;
  }

  private static boolean isAlpha(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static CorsOrigin fail(String[] why, String reason) {
    if (why != null) {
      why[0] = reason;
    }
    return null;
  }
}
