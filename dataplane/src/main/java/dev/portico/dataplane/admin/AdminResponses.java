package dev.portico.dataplane.admin;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/** Ends admin responses, including RFC 9457 problem documents. */
final class AdminResponses {
  static final String PROBLEM_CONTENT_TYPE = "application/problem+json";
  private static final String TYPE_BASE = "https://portico.dev/problems/";

  private AdminResponses() {}

  /**
   * Ends the response. A HEAD gets the headers of the GET and no body: Vert.x omits the body of a
   * HEAD on HTTP/1.1 but not on HTTP/2, so the body is left out here, where it works for both.
   */
  static Future<Void> send(HttpServerRequest request, int status, String contentType, Buffer body) {
    var response =
        request
            .response()
            .setStatusCode(status)
            .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
            .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
    return request.method() == HttpMethod.HEAD ? response.end() : response.end(body);
  }

  /**
   * Ends the response with a problem document.
   *
   * @param type the stable last segment of the type URI, e.g. {@code not-ready}
   */
  static Future<Void> problem(
      HttpServerRequest request, int status, String type, String title, String detail) {
    JsonObject problem =
        new JsonObject()
            .put("type", TYPE_BASE + type)
            .put("title", title)
            .put("status", status)
            .put("detail", detail);
    request.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    return send(request, status, PROBLEM_CONTENT_TYPE, problem.toBuffer());
  }
}
