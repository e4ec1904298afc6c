package dev.portico.dataplane.problem;

/**
 * Every error the gateway answers by itself, with its status and stable {@code type} URI: the
 * vocabulary of {@link Problems}, used from the request limits to the upstream stage.
 */
public enum ProblemType {
  BAD_REQUEST(400, "bad-request", "The request is malformed"),
  INVALID_PATH(400, "invalid-path", "The request path is not acceptable"),
  UNAUTHENTICATED(
      401, "unauthenticated", "Authentication is required: the credential is missing or not valid"),
  FORBIDDEN(403, "forbidden", "The caller is not allowed to make this request"),
  CORS_PREFLIGHT_REJECTED(
      403,
      "cors-preflight-rejected",
      "The CORS preflight asks for an origin, method or header the route does not allow"),
  NO_ROUTE(404, "no-route", "No route matches the request"),
  BODY_TOO_LARGE(413, "body-too-large", "The request body is larger than allowed"),
  URI_TOO_LONG(414, "uri-too-long", "The request-target is longer than allowed"),
  TOO_MANY_REQUESTS(429, "rate-limited", "Too many requests: a rate limit refused this one"),
  HEADERS_TOO_LARGE(431, "headers-too-large", "The request headers are larger than allowed"),
  UPSTREAM_CONNECT_FAILURE(
      502, "upstream-connect-failure", "The gateway could not connect to the backend"),
  BAD_UPSTREAM_RESPONSE(
      502, "bad-upstream-response", "The backend closed or sent an invalid response"),
  PART_FAILED(502, "part-failed", "A required part of the composed response failed"),
  PART_TOO_LARGE(502, "part-too-large", "A part's response is larger than allowed"),
  RESPONSE_TOO_LARGE(502, "response-too-large", "The composed response is larger than allowed"),
  NO_BACKEND(503, "no-backend", "The route has no usable backend"),
  NO_HEALTHY_ENDPOINT(503, "no-healthy-endpoint", "The backend has no healthy endpoint"),
  RATE_LIMIT_UNAVAILABLE(
      503,
      "rate-limit-unavailable",
      "A rate limit that fails closed cannot be checked: its shared store is unreachable"),
  AUTHENTICATION_UNAVAILABLE(
      503, "authentication-unavailable", "The credential cannot be checked at the moment"),
  UPSTREAM_TIMEOUT(504, "upstream-timeout", "The backend did not answer in time");

  /** Base of every type URI; the suffix is the stable part clients may switch on. */
  public static final String BASE = "https://portico.dev/problems/";

  private final int status;
  private final String slug;
  private final String title;

  ProblemType(int status, String slug, String title) {
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public String uri() {
    return BASE + slug;
  }
}
