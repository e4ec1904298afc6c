package dev.portico.dataplane.server;

import dev.portico.dataplane.problem.ProblemType;
import dev.portico.dataplane.problem.Problems;
import dev.portico.dataplane.proxy.RequestIds;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers requests the HTTP decoder could not parse, before the request path proper: oversized
 * header blocks (431), request lines (414), and malformed heads (400, e.g. a bad header line or a
 * conflicting framing the decoder itself refuses). Always closes: the parser lost track of where
 * the next request would start.
 */
final class InvalidRequestHandler implements Handler<HttpServerRequest> {
  @Override
  public void handle(HttpServerRequest req) {
    DecoderResult result = req.decoderResult();
    Throwable cause = result == null ? null : result.cause();
    ProblemType type;
    String detail;
    if (cause instanceof TooLongHttpHeaderException) {
      type = ProblemType.HEADERS_TOO_LARGE;
      detail = "the header block exceeds the limit";
    } else if (cause instanceof TooLongHttpLineException) {
      type = ProblemType.URI_TOO_LONG;
      detail = "the request line exceeds the limit";
    } else {
      type = ProblemType.BAD_REQUEST;
      detail = "the request could not be parsed";
    }
    Problems.send(req, type, detail, RequestIds.generate(), true);
  }
}
