package dev.portico.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Conditions a request must meet, evaluated on the normalized path.
 *
 * @param pathType {@link PathType}
 * @param method upper-case method, or null for any
 * @param headers all must hold; names lower-case
 * @param queryParams all must hold; names case-sensitive
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record MatchConfig(
    PathType pathType,
    String path,
    String method,
    List<ValueMatch> headers,
    List<ValueMatch> queryParams) {

  public MatchConfig {
    headers = Lists.copy(headers);
    queryParams = Lists.copy(queryParams);
  }

  /** How the path is compared. */
  public enum PathType {
    Exact,
    PathPrefix,
    RegularExpression
  }

  /**
   * A header or query-parameter condition.
   *
   * @param regex true when value is a regular expression matched against the whole value
   */
  public record ValueMatch(String name, String value, boolean regex) {}
}
