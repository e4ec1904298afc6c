package dev.portico.dataplane.server;

import dev.portico.dataplane.problem.ProblemType;
import dev.portico.snapshot.ProxySettingsConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.List;
import java.util.Locale;

/**
 * The first stage of the request path, before path normalization: the request limits the decoder
 * does not enforce (header count, URI length, declared body size) and the request-smuggling
 * defences, which answer 400 and close the connection, because once two parsers could disagree
 * about where this request ends, nothing after it on the connection can be trusted.
 *
 * <p>Netty's decoder already refuses some of these cases before this stage runs ({@link
 * InvalidRequestHandler} answers them); the checks here cover what it lets through, and repeat the
 * rest cheaply so the defence does not depend on one decoder version.
 */
final class RequestGuard {
  private RequestGuard() {}

  /** Null when the request may proceed. */
  static Rejection check(HttpServerRequest req, ProxySettingsConfig limits) {
    MultiMap headers = req.headers();
    if (limits.maxHeaderCount() > 0 && headers.size() > limits.maxHeaderCount()) {
      return new Rejection(
          ProblemType.HEADERS_TOO_LARGE,
          "more than " + limits.maxHeaderCount() + " header fields",
          true);
    }
    String uri = req.uri();
    if (limits.maxUriLength() > 0 && uri.length() > limits.maxUriLength()) {
      return new Rejection(
          ProblemType.URI_TOO_LONG,
          "the request-target is longer than " + limits.maxUriLength() + " characters",
          true);
    }
    Rejection bad = checkFieldValues(headers);
    if (bad == null && req.version() != HttpVersion.HTTP_2) {
      bad = checkFraming(req, headers);
      if (bad == null) {
        bad = checkHost(req, headers);
      }
    }
    if (bad != null) {
      return bad;
    }
    long length = contentLength(headers);
    if (limits.maxBodyBytes() > 0 && length > limits.maxBodyBytes()) {
      return new Rejection(
          ProblemType.BODY_TOO_LARGE,
          "the declared body of " + length + " bytes exceeds " + limits.maxBodyBytes(),
          true);
    }
    return null;
  }

  /** The declared Content-Length, or -1; only called once {@link #checkFraming} passed. */
  static long contentLength(MultiMap headers) {
    String cl = headers.get("content-length");
    if (cl == null) {
      return -1;
    }
    try {
      return Long.parseLong(cl.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Rejection checkFraming(HttpServerRequest req, MultiMap headers) {
    List<String> lengths = headers.getAll("content-length");
    List<String> encodings = headers.getAll("transfer-encoding");
    if (!lengths.isEmpty() && !encodings.isEmpty()) {
      return smuggling("both Content-Length and Transfer-Encoding are present");
    }
    String first = null;
    for (String value : lengths) {
      for (String part : value.split(",", -1)) {
        String v = part.trim();
        if (v.isEmpty() || !v.chars().allMatch(c -> c >= '0' && c <= '9') || v.length() > 18) {
          return smuggling("Content-Length is not a number");
        }
        if (first != null && !first.equals(v)) {
          return smuggling("Content-Length values disagree");
        }
        first = v;
      }
    }
    if (!encodings.isEmpty()) {
      if (req.version() == HttpVersion.HTTP_1_0) {
        return smuggling("Transfer-Encoding is not allowed in HTTP/1.0");
      }
      String joined = String.join(",", encodings).toLowerCase(Locale.ROOT).replace(" ", "");
      if (!joined.equals("chunked")) {
        return smuggling("only Transfer-Encoding: chunked is accepted");
      }
    }
    return null;
  }

  private static Rejection checkHost(HttpServerRequest req, MultiMap headers) {
    List<String> hosts = headers.getAll("host");
    if (hosts.size() > 1) {
      return smuggling("more than one Host header");
    }
    if (hosts.isEmpty()) {
      return req.version() == HttpVersion.HTTP_1_1 ? smuggling("the Host header is missing") : null;
    }
    String host = hosts.get(0);
    if (!validHost(host)) {
      return smuggling("the Host header is not a valid host[:port]");
    }
    String uri = req.uri();
    int scheme = uri.indexOf("://");
    if (!uri.startsWith("/") && scheme > 0) {
      int end = uri.indexOf('/', scheme + 3);
      String authority = uri.substring(scheme + 3, end < 0 ? uri.length() : end);
      if (!authority.equalsIgnoreCase(host)) {
        return smuggling("the absolute-form request-target names another host than Host");
      }
    }
    return null;
  }

  /** reg-name, IPv4 or [IPv6], with an optional numeric port. */
  static boolean validHost(String host) {
    if (host.isEmpty()) {
      return false;
    }
    int portStart;
    if (host.charAt(0) == '[') {
      int close = host.indexOf(']');
      if (close < 0) {
        return false;
      }
      for (int i = 1; i < close; i++) {
        char c = host.charAt(i);
        if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
          return false;
        }
      }
      portStart = close + 1;
    } else {
      portStart = host.indexOf(':');
      if (portStart < 0) {
        portStart = host.length();
      }
      if (portStart == 0) {
        return false;
      }
      for (int i = 0; i < portStart; i++) {
        char c = host.charAt(i);
        boolean ok =
            (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '-'
                || c == '.'
                || c == '_'
                || c == '~';
        if (!ok) {
          return false;
        }
      }
    }
    if (portStart == host.length()) {
      return true;
    }
    if (host.charAt(portStart) != ':' || portStart + 1 == host.length()) {
      return false;
    }
    if (host.length() - portStart - 1 > 5) {
      return false;
    }
    for (int i = portStart + 1; i < host.length(); i++) {
      if (host.charAt(i) < '0' || host.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** Control characters other than HTAB, and DEL, are never valid in a field value. */
  private static Rejection checkFieldValues(MultiMap headers) {
    for (var e : headers) {
      String v = e.getValue();
      for (int i = 0; i < v.length(); i++) {
        char c = v.charAt(i);
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
          return smuggling("a header value contains a control character");
        }
      }
    }
    return null;
  }

  private static Rejection smuggling(String detail) {
    return new Rejection(ProblemType.BAD_REQUEST, detail, true);
  }
}
