package dev.portico.dataplane.problem;

import dev.portico.dataplane.cors.CorsHeaders;
import dev.portico.dataplane.ratelimit.RateLimitFields;
import dev.portico.dataplane.upstream.AttemptFailure;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes the gateway's own errors as {@code application/problem+json} (RFC 9457), and is the one
 * place where a failure becomes a status: every stage of the request path ends up here.
 */
public final class Problems {
  public static final String CONTENT_TYPE = "application/problem+json";

  private Problems() {}

  /** Maps how an attempt to a backend failed to what the client is told. */
  public static ProblemType of(AttemptFailure failure) {
    return switch (failure) {
      case ConnectFailure -> ProblemType.UPSTREAM_CONNECT_FAILURE;
      case Status504 -> ProblemType.UPSTREAM_TIMEOUT;
      case Reset, Status502, Status503 -> ProblemType.BAD_UPSTREAM_RESPONSE;
    };
  }

  /** The problem document; {@code detail} must never echo request data back unescaped. */
  public static JsonObject body(ProblemType type, String detail, String requestId) {
    JsonObject json =
        new JsonObject()
            .put("type", type.uri())
            .put("title", type.title())
            .put("status", type.status());
    if (detail != null) {
      json.put("detail", detail);
    }
    if (requestId != null) {
      json.put("requestId", requestId);
    }
    return json;
  }

  /**
   * Answers with a problem unless a response is already under way; then the only honest signal left
   * is to cut the connection, so the client cannot take a truncated body for a whole one.
   */
  public static void send(
      HttpServerRequest request, ProblemType type, String detail, String requestId) {
    send(request, type, detail, requestId, false);
  }

  /**
   * @param close true to close the connection after the answer: the request framing cannot be
   *     trusted any more (smuggling defences, unread oversized body)
   */
  public static void send(
      HttpServerRequest request, ProblemType type, String detail, String requestId, boolean close) {
    send(request, type, detail, requestId, close, null);
  }

  /**
   * @param fields adds fields of its own (Retry-After, rate-limit fields) to the problem's head
   */
  public static void send(
      HttpServerRequest request,
      ProblemType type,
      String detail,
      String requestId,
      Consumer<MultiMap> fields) {
    send(request, type, detail, requestId, false, fields);
  }

  private static void send(
      HttpServerRequest request,
      ProblemType type,
      String detail,
      String requestId,
      boolean close,
      Consumer<MultiMap> fields) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      response.reset();
      return;
    }
    // A gateway-made error replaces whatever the response had so far, except the rate-limit
    // fields (the request did take a token, and the client should still see its quota) and a CORS
    // rule's fields (so browser code can read why it was refused).
    List<Map.Entry<String, String>> kept = new ArrayList<>();
    for (Map.Entry<String, String> e : response.headers()) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (RateLimitFields.NAMES.contains(name) || CorsHeaders.isCorsField(name)) {
        kept.add(e);
      }
    }
    response.headers().clear();
    kept.forEach(e -> response.headers().add(e.getKey(), e.getValue()));
    response.setStatusCode(type.status());
    response.putHeader("content-type", CONTENT_TYPE);
    response.putHeader("cache-control", "no-store");
    if (requestId != null) {
      response.putHeader("x-request-id", requestId);
    }
    if (close) {
      response.putHeader("connection", "close");
    }
    if (fields != null) {
      fields.accept(response.headers());
    }
    Future<Void> sent = response.end(body(type, detail, requestId).encode());
    if (close && request.version() != HttpVersion.HTTP_2) {
      // HTTP/2 streams are framed by the protocol; only an HTTP/1 connection is suspect.
      sent.onComplete(v -> request.connection().close());
    }
  }
}
