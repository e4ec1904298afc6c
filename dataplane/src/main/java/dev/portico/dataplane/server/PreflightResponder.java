package dev.portico.dataplane.server;

import dev.portico.dataplane.cors.CorsHeaders;
import dev.portico.dataplane.cors.CorsPolicy;
import dev.portico.dataplane.filter.HeaderEditFilter;
import dev.portico.dataplane.problem.ProblemType;
import dev.portico.dataplane.problem.Problems;
import dev.portico.dataplane.proxy.RequestIds;
import dev.portico.snapshot.HeaderEdits;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Answers a CORS preflight for a rule with a CORS filter, in place of the rule's action and before
 * its security and rate limits (browsers send no credentials on a preflight): 204 with the CORS
 * fields, or 403 problem+json saying whether the origin, the method or a header is not allowed.
 */
final class PreflightResponder {
  private PreflightResponder() {}

  /**
   * @param responseEdits the rule's response header edits, applied to the 204 like to any answer of
   *     the rule
   * @return true when the preflight was allowed
   */
  static boolean answer(
      HttpServerRequest req, CorsPolicy policy, HeaderEdits responseEdits, String requestId) {
    HttpServerResponse res = req.response();
    String refused =
        policy.preflight(
            req.getHeader(CorsHeaders.ORIGIN),
            req.getHeader(CorsHeaders.REQUEST_METHOD),
            req.headers().getAll(CorsHeaders.REQUEST_HEADERS),
            res.headers());
    if (refused != null) {
      Problems.send(
          req,
          ProblemType.CORS_PREFLIGHT_REJECTED,
          refused,
          requestId,
          headers -> headers.set(CorsHeaders.VARY, CorsHeaders.PREFLIGHT_VARY));
      return false;
    }
    res.putHeader(RequestIds.HEADER, requestId);
    HeaderEditFilter.apply(responseEdits, res.headers());
    res.setStatusCode(204).end();
    return true;
  }
}
