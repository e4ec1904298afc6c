package dev.portico.dataplane.routing;

import java.util.Locale;
import java.util.Map;

/**
 * A {@link RequestView} over plain values, for tests and tools that ask "which route would serve
 * this request" without a live connection.
 */
public final class MapRequestView implements RequestView {
  private final String method;
  private final String path;
  private final Map<String, String> headers;
  private final QueryParams query;

  /**
   * @param path a normalized path
   * @param headers first values by name; names are lower-cased here
   * @param rawQuery the raw query after {@code ?}, or null
   */
  public MapRequestView(String method, String path, Map<String, String> headers, String rawQuery) {
    this.method = method;
    this.path = path;
    this.headers = Map.copyOf(lowerCaseNames(headers));
    this.query = new QueryParams(rawQuery);
  }

  /** A request with no headers and no query. */
  public static MapRequestView of(String method, String path) {
    return new MapRequestView(method, path, Map.of(), null);
  }

  private static Map<String, String> lowerCaseNames(Map<String, String> headers) {
    Map<String, String> out = new java.util.HashMap<>();
    headers.forEach((k, v) -> out.putIfAbsent(k.toLowerCase(Locale.ROOT), v));
    return out;
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String header(String lowerCaseName) {
    return headers.get(lowerCaseName);
  }

  @Override
  public String queryParam(String name) {
    return query.first(name);
  }
}
