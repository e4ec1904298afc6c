package dev.portico.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** Conditions a request must meet, all of them, for a rule to handle it. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class RouteMatch {
  @JsonPropertyDescription("Path condition. Defaults to prefix '/'.")
  public PathMatch path;

  @JsonPropertyDescription("HTTP method condition. Empty means any method.")
  public HttpMethod method;

  @JsonPropertyDescription("Header conditions; all must hold. Header names are case-insensitive.")
  @Size(max = 16)
  public List<HeaderMatch> headers = new ArrayList<>();

  @JsonPropertyDescription("Query parameter conditions; all must hold. Names are case-sensitive.")
  @Size(max = 16)
  public List<QueryParamMatch> queryParams = new ArrayList<>();

  /** Methods a match may name. */
  public enum HttpMethod {
    GET,
    HEAD,
    POST,
    PUT,
    DELETE,
    CONNECT,
    OPTIONS,
    TRACE,
    PATCH
  }
}
