package dev.portico.dataplane.routing;

/**
 * What {@link RouteTable} reads of a request, after path normalization; the Vert.x handler adapts
 * its request to it without copying headers.
 */
public interface RequestView {
  /** The method, upper-case as sent ({@code GET}). */
  String method();

  /** The path as {@link PathNormalizer} returned it ({@link NormalizedPath#path()}). */
  String path();

  /** The first value of a header, or null when absent. */
  String header(String lowerCaseName);

  /**
   * The first value of a query parameter, decoded, or null when absent. Called only when a
   * candidate route has query conditions, so implementations should parse lazily ({@link
   * QueryParams}).
   */
  String queryParam(String name);
}
