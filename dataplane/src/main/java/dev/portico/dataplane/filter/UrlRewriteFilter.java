package dev.portico.dataplane.filter;

import dev.portico.dataplane.routing.NormalizedPath;
import dev.portico.dataplane.routing.RouteMatch;
import dev.portico.snapshot.PathRewrite;

/**
 * Rewrites the path a backend (or a redirect) receives, after route matching: a full replacement,
 * or the part the rule's PathPrefix matched replaced by another prefix (Gateway API
 * ReplacePrefixMatch).
 */
public final class UrlRewriteFilter {
  private UrlRewriteFilter() {}

  /**
   * The new path, without query.
   *
   * @param path the request's normalized path; {@code ;} parameters are kept when no rewrite
   *     applies and dropped when a prefix is replaced, since the match offsets refer to the
   *     normalized path
   */
  public static String rewrite(PathRewrite rewrite, RouteMatch match, NormalizedPath path) {
    if (rewrite == null) {
      return path.upstreamPath();
    }
    if (!rewrite.replacePrefix() || match.prefixLength() < 0) {
      return rewrite.value();
    }
    String normalized = path.path();
    String rest = normalized.substring(Math.min(match.prefixLength(), normalized.length()));
    return replacePrefix(rewrite.value(), rest);
  }

  /** {@code /v1} + {@code /x} is {@code /v1/x}; {@code /} + {@code /x} is {@code /x}. */
  static String replacePrefix(String prefix, String rest) {
    String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    if (rest.isEmpty()) {
      return p.isEmpty() ? "/" : prefix.endsWith("/") && !prefix.equals("/") ? p + "/" : p;
    }
    return p + rest;
  }
}
