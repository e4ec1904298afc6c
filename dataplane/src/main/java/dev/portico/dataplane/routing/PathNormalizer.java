package dev.portico.dataplane.routing;

import java.util.Arrays;

/**
 * Normalizes a request-target once, right after the request limits and before route matching, so
 * that routing and every policy judge the same path the backend is sent.
 *
 * <p>Steps, in order, per segment:
 *
 * <ol>
 *   <li>Percent-encoding: unreserved characters ({@code ALPHA DIGIT - . _ ~}) are decoded, every
 *       other escape keeps its encoding with upper-case hex ({@code %2e} becomes {@code .}, {@code
 *       %c3%a9} becomes {@code %C3%A9}). Printable ASCII that RFC 3986 forbids in a path ({@code "
 *       < > [ ] ^ ` { | }}) is encoded, so {@code /a|b} and {@code /a%7Cb} are one path.
 *   <li>{@code ;} parameters are split off the segment. Matching sees the segment without them;
 *       {@link NormalizedPath#upstreamPath()} keeps them on segments that survive.
 *   <li>Dot segments are resolved (RFC 3986 5.2.4) on the parameter-free names, so {@code ..;} and
 *       {@code %2E%2E} are {@code ..} too; {@code ..} above the root is dropped ({@code /../x} is
 *       {@code /x}).
 *   <li>Empty segments are merged ({@code //admin} is {@code /admin}); a trailing slash stays.
 * </ol>
 *
 * <p>Why parameters go before dot segments: {@code /public/..;/admin} must not match {@code
 * /public} rules while a servlet container resolves it to {@code /admin}. Stripping first makes it
 * {@code /admin} here as well, so routing, policies and backend agree.
 *
 * <p>Refused, with a {@link PathError} rather than an exception: a target not starting with {@code
 * /}, invalid percent-encoding, a raw backslash, NUL or any control character (raw or encoded), raw
 * non-ASCII or {@code #}, and by default {@code %2F} and {@code %5C} (see {@link EncodedSlashes}).
 * The query string is split off at the first {@code ?}, checked for control and non-ASCII
 * characters, and kept raw.
 *
 * <p>Input is the origin-form request-target (Vert.x {@code request.uri()} for origin-form
 * requests); the caller splits absolute-form itself. Thread-safe and immutable; an already normal
 * path costs one scan and at most one substring.
 */
public final class PathNormalizer {
  /** What to do with an encoded slash or backslash ({@code %2F}, {@code %5C}) in the path. */
  public enum EncodedSlashes {
    /** Answer 400: a backend that decodes them would see other segments than were matched. */
    REJECT,
    /**
     * Keep them encoded, as data inside a segment (for APIs that put IDs with slashes in paths).
     */
    KEEP_ENCODED
  }

  private static final PathNormalizer DEFAULT = new PathNormalizer(EncodedSlashes.REJECT);

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** Characters copied as they are: unreserved, sub-delims except {@code ;}, {@code : @ /}. */
  private static final boolean[] PLAIN = new boolean[128];

  /** Printable ASCII that is not allowed raw in a path; it is percent-encoded. */
  private static final boolean[] ENCODE = new boolean[128];

  /** ALPHA / DIGIT / - . _ ~ : decoded when percent-encoded. */
  private static final boolean[] UNRESERVED = new boolean[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      UNRESERVED[c] = true;
      UNRESERVED[c - 'a' + 'A'] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      UNRESERVED[c] = true;
    }
    for (char c : "-._~".toCharArray()) {
      UNRESERVED[c] = true;
    }
    System.arraycopy(UNRESERVED, 0, PLAIN, 0, 128);
    for (char c : "!$&'()*+,=:@/".toCharArray()) {
      PLAIN[c] = true;
    }
    for (char c : " \"<>[]^`{|}".toCharArray()) {
      ENCODE[c] = true;
    }
  }

  private final boolean keepEncodedSlashes;

  public PathNormalizer(EncodedSlashes encodedSlashes) {
    this.keepEncodedSlashes = encodedSlashes == EncodedSlashes.KEEP_ENCODED;
  }

  /** The default policy: encoded slashes and backslashes are refused. */
  public static PathNormalizer defaults() {
    return DEFAULT;
  }

  /** Normalizes an origin-form request-target ({@code /path?query}). */
  public NormalizedPath normalize(String target) {
    if (target == null || target.isEmpty() || target.charAt(0) != '/') {
      return NormalizedPath.rejected(
          PathError.MISSING_LEADING_SLASH,
          PathError.MISSING_LEADING_SLASH.title() + "; send the origin-form ('/path?query').");
    }
    int end = target.indexOf('?');
    String rawQuery = null;
    if (end >= 0) {
      NormalizedPath bad = checkQuery(target, end + 1);
      if (bad != null) {
        return bad;
      }
      rawQuery = target.substring(end + 1);
    } else {
      end = target.length();
    }
    if (isNormal(target, end)) {
      String path = end == target.length() ? target : target.substring(0, end);
      return NormalizedPath.of(path, path, rawQuery);
    }
    return rewrite(target, end, rawQuery);
  }

  /**
   * True when {@code target[0, end)} is already its own normal form: only plain characters, no
   * empty segment before the end, no dot segment. Most real paths are, and cost just this scan.
   */
  private static boolean isNormal(String target, int end) {
    int segmentStart = 1;
    for (int i = 1; i < end; i++) {
      char c = target.charAt(i);
      if (c >= 128 || !PLAIN[c]) {
        return false;
      }
      if (c == '/') {
        if (i == segmentStart || isDotSegment(target, segmentStart, i)) {
          return false;
        }
        segmentStart = i + 1;
      }
    }
    return !isDotSegment(target, segmentStart, end);
  }

  private static boolean isDotSegment(CharSequence s, int from, int to) {
    int len = to - from;
    return (len == 1 && s.charAt(from) == '.')
        || (len == 2 && s.charAt(from) == '.' && s.charAt(from + 1) == '.');
  }

  /** The general case; package-private so tests can check the fast path against it. */
  NormalizedPath rewrite(String target, int end, String rawQuery) {
    StringBuilder match = new StringBuilder(end);
    StringBuilder upstream = new StringBuilder(end);
    StringBuilder name = new StringBuilder();
    StringBuilder params = new StringBuilder();
    // Lengths of match/upstream before each kept segment, so ".." can drop the last one.
    int[] stack = new int[8];
    int depth = 0;
    boolean anyParams = false;
    boolean trailingSlash = false;
    int i = 1;
    while (i <= end) {
      int segmentEnd = target.indexOf('/', i);
      if (segmentEnd < 0 || segmentEnd > end) {
        segmentEnd = end;
      }
      name.setLength(0);
      params.setLength(0);
      NormalizedPath bad = decodeSegment(target, i, segmentEnd, name, params);
      if (bad != null) {
        return bad;
      }
      boolean last = segmentEnd == end;
      if (name.length() == 0 || isDotSegment(name, 0, name.length())) {
        if (name.length() == 2 && depth > 0) {
          depth--;
          match.setLength(stack[2 * depth]);
          upstream.setLength(stack[2 * depth + 1]);
        }
        trailingSlash = last;
      } else {
        if (2 * depth + 2 > stack.length) {
          stack = Arrays.copyOf(stack, stack.length * 2);
        }
        stack[2 * depth] = match.length();
        stack[2 * depth + 1] = upstream.length();
        depth++;
        match.append('/').append(name);
        upstream.append('/').append(name).append(params);
        anyParams |= params.length() > 0;
        trailingSlash = false;
      }
      i = segmentEnd + 1;
    }
    if (match.length() == 0 || trailingSlash) {
      match.append('/');
      upstream.append('/');
    }
    String path = match.toString();
    return NormalizedPath.of(path, anyParams ? upstream.toString() : path, rawQuery);
  }

  /**
   * Canonicalizes one segment's characters into {@code name}, and from the first raw {@code ;} into
   * {@code params}. Returns a rejection, or null.
   */
  private NormalizedPath decodeSegment(
      String s, int from, int to, StringBuilder name, StringBuilder params) {
    StringBuilder out = name;
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      if (c == '%') {
        int hi = i + 2 < to ? hex(s.charAt(i + 1)) : -1;
        int lo = i + 2 < to ? hex(s.charAt(i + 2)) : -1;
        if (hi < 0 || lo < 0) {
          return reject(
              PathError.INVALID_PERCENT_ENCODING, i, "'%' must be followed by two hex digits");
        }
        int v = hi << 4 | lo;
        if ((v == '/' || v == '\\') && !keepEncodedSlashes) {
          return v == '/'
              ? reject(PathError.ENCODED_SLASH, i, "encoded slashes are not accepted")
              : reject(PathError.ENCODED_BACKSLASH, i, "encoded backslashes are not accepted");
        }
        if (v < 0x20 || v == 0x7F) {
          return reject(PathError.CONTROL_CHARACTER, i, "encoded control characters are refused");
        }
        if (v < 128 && UNRESERVED[v]) {
          out.append((char) v);
        } else {
          out.append('%').append(HEX[v >> 4]).append(HEX[v & 0xF]);
        }
        i += 3;
        continue;
      }
      if (c < 0x20 || c == 0x7F) {
        return reject(PathError.CONTROL_CHARACTER, i, "control characters are refused");
      }
      if (c == '\\') {
        return reject(PathError.BACKSLASH, i, "use '/' to separate segments");
      }
      if (c >= 128 || c == '#') {
        return reject(
            PathError.INVALID_CHARACTER, i, "non-ASCII characters and '#' must be encoded");
      }
      if (c == ';' && out == name) {
        out = params;
      }
      if (ENCODE[c]) {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      } else {
        out.append(c);
      }
      i++;
    }
    return null;
  }

  private static NormalizedPath checkQuery(String target, int from) {
    for (int i = from; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c < 0x20 || c == 0x7F) {
        return reject(PathError.CONTROL_CHARACTER, i, "control characters are refused");
      }
      if (c >= 128 || c == '#') {
        return reject(
            PathError.INVALID_CHARACTER, i, "non-ASCII characters and '#' must be encoded");
      }
    }
    return null;
  }

  private static NormalizedPath reject(PathError error, int offset, String why) {
    return NormalizedPath.rejected(
        error, error.title() + " at offset " + offset + "; " + why + ".");
  }

  /**
   * A route's Exact or PathPrefix value in the spelling normalized paths use (escapes in upper-case
   * hex, unreserved characters decoded, forbidden ASCII encoded), so {@code /%7euser} still
   * matches. Dot segments, {@code ;} and empty segments are left alone: rewriting them could widen
   * a match, and the API refuses them anyway.
   */
  static String canonicalEscapes(String path) {
    StringBuilder out = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      int hi = c == '%' && i + 2 < path.length() ? hex(path.charAt(i + 1)) : -1;
      int lo = hi >= 0 ? hex(path.charAt(i + 2)) : -1;
      if (lo >= 0) {
        int v = hi << 4 | lo;
        if (v < 128 && UNRESERVED[v]) {
          out.append((char) v);
        } else {
          out.append('%').append(HEX[v >> 4]).append(HEX[v & 0xF]);
        }
        i += 2;
      } else if (c < 128 && ENCODE[c]) {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      } else {
        out.append(c);
      }
    }
    return out.length() == path.length() && out.indexOf(path) == 0 ? path : out.toString();
  }

  /** The value of an ASCII hex digit, or -1. */
  static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
