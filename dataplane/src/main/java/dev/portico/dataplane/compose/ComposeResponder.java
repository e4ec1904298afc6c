package dev.portico.dataplane.compose;

import dev.portico.dataplane.compose.PartResult.Outcome;
import dev.portico.dataplane.filter.HeaderEditFilter;
import dev.portico.dataplane.problem.ProblemType;
import dev.portico.dataplane.problem.Problems;
import dev.portico.dataplane.proxy.RequestIds;
import dev.portico.snapshot.HeaderEdits;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * Writes what a composition answers: the merged document, a required part's own 4xx, or the problem
 * a failed required part maps to. One place for the status of every failure.
 */
final class ComposeResponder {
  /** Names the parts whose real response is missing: left out, or replaced by a fallback. */
  static final String PARTIAL_HEADER = "Portico-Partial";

  private ComposeResponder() {}

  static void merged(
      HttpServerRequest req,
      Buffer json,
      List<String> partial,
      String requestId,
      HeaderEdits responseEdits) {
    HttpServerResponse res = req.response();
    if (res.ended() || res.closed()) {
      return;
    }
    res.setStatusCode(200);
    res.putHeader("content-type", "application/json");
    res.putHeader("content-length", Integer.toString(json.length()));
    res.putHeader(RequestIds.HEADER, requestId);
    if (!partial.isEmpty()) {
      res.putHeader(PARTIAL_HEADER, String.join(", ", partial));
    }
    HeaderEditFilter.apply(responseEdits, res.headers());
    if (req.method() == HttpMethod.HEAD) {
      res.end();
    } else {
      res.end(json);
    }
  }

  /** A required part's 4xx with passThroughStatus: its status, Content-Type and body. */
  static void passThrough(
      HttpServerRequest req, PartResult r, String requestId, HeaderEdits responseEdits) {
    HttpServerResponse res = req.response();
    if (res.ended() || res.closed()) {
      return;
    }
    res.setStatusCode(r.status());
    if (r.contentType() != null) {
      res.putHeader("content-type", r.contentType());
    }
    res.putHeader("content-length", Integer.toString(r.body().length()));
    res.putHeader(RequestIds.HEADER, requestId);
    HeaderEditFilter.apply(responseEdits, res.headers());
    res.end(r.body());
  }

  /** The problem a failed required part answers with. */
  static ProblemType problem(Outcome outcome) {
    return switch (outcome) {
      case CONNECT_FAILURE -> ProblemType.UPSTREAM_CONNECT_FAILURE;
      case RESET, BAD_BODY -> ProblemType.BAD_UPSTREAM_RESPONSE;
      case TIMEOUT -> ProblemType.UPSTREAM_TIMEOUT;
      case NO_BACKEND -> ProblemType.NO_BACKEND;
      case NO_ENDPOINT -> ProblemType.NO_HEALTHY_ENDPOINT;
      case TOO_LARGE -> ProblemType.PART_TOO_LARGE;
      case MISSING_INPUT -> ProblemType.BAD_REQUEST;
      case OK, STATUS, SKIPPED -> ProblemType.PART_FAILED;
    };
  }

  static void failed(HttpServerRequest req, PartResult r, String requestId, boolean close) {
    Problems.send(req, problem(r.outcome()), r.detail(), requestId, close);
  }
}
