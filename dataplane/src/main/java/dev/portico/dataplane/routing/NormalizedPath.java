package dev.portico.dataplane.routing;

/**
 * The result of {@link PathNormalizer}: either a normalized path that routing and every policy
 * read, or the reason the request is answered 400.
 *
 * @param path the normalized path, {@code ;} parameters removed: what routes and policies match
 * @param upstreamPath the same segments with their {@code ;} parameters kept, for the proxy to
 *     send; the same instance as {@code path} when there were none. It never differs from {@code
 *     path} in which segments it has, so a backend that strips parameters sees exactly {@code path}
 * @param rawQuery the query string after {@code ?}, undecoded; null when there was no {@code ?}
 * @param error why the request-target was refused, or null
 * @param detail a human message for a problem+json {@code detail}; names offsets, never echoes the
 *     request, so it is safe to return and to log
 */
public record NormalizedPath(
    String path, String upstreamPath, String rawQuery, PathError error, String detail) {

  static NormalizedPath of(String path, String upstreamPath, String rawQuery) {
    return new NormalizedPath(path, upstreamPath, rawQuery, null, null);
  }

  static NormalizedPath rejected(PathError error, String detail) {
    return new NormalizedPath(null, null, null, error, detail);
  }

  /** True when the request may be routed. */
  public boolean isValid() {
    return error == null;
  }
}
