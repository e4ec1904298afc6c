package dev.portico.dataplane.filter;

import dev.portico.snapshot.DirectResponseConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** Answers a rule's DirectResponse action with its fixed status, content type and body. */
public final class DirectResponseFilter {
  private DirectResponseFilter() {}

  public static void send(HttpServerResponse response, DirectResponseConfig config) {
    response.setStatusCode(config.statusCode());
    if (config.contentType() != null && config.body() != null) {
      response.putHeader("content-type", config.contentType());
    }
    response.end(config.body() == null ? Buffer.buffer() : Buffer.buffer(config.body()));
  }
}
