package dev.portico.demo;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The endpoints of one {@link DemoBackend}. */
final class DemoHandler implements Handler<HttpServerRequest> {
  static final String SERVICE_HEADER = "X-Demo-Service";
  static final long MAX_DELAY_MILLIS = 60_000;

  private static final String PRODUCTS = "/catalog/products";
  private static final String REVIEWS = "/v1/reviews/";
  private static final String INVENTORY = "/v1/inventory/";
  private static final String CUSTOMERS = "/v1/customers/";

  private final Vertx vertx;
  private final String name;

  DemoHandler(Vertx vertx, String name) {
    this.vertx = vertx;
    this.name = name;
  }

  @Override
  public void handle(HttpServerRequest request) {
    request.response().putHeader(SERVICE_HEADER, name);
    String path = request.path();
    HttpMethod method = request.method();
    if (path.startsWith("/status/")) {
      status(request, path.substring("/status/".length()));
    } else if (path.equals("/slow")) {
      slow(request);
    } else if (method == HttpMethod.POST || method == HttpMethod.PUT) {
      echoBody(request);
    } else if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
      get(request, path);
    } else {
      json(request, 200, echo(request));
    }
  }

  private void get(HttpServerRequest request, String path) {
    if (path.equals(PRODUCTS)) {
      String ids = request.getParam("ids");
      json(
          request,
          200,
          (ids == null ? DemoCatalog.products() : DemoCatalog.products(ids.split(","))).encode());
    } else if (path.startsWith(PRODUCTS + "/") && path.indexOf('/', PRODUCTS.length() + 1) < 0) {
      String id = path.substring(PRODUCTS.length() + 1);
      JsonObject product = DemoCatalog.product(id);
      found(request, product, "no product " + id);
    } else if (path.startsWith(REVIEWS) && path.indexOf('/', REVIEWS.length()) < 0) {
      String id = path.substring(REVIEWS.length());
      found(request, DemoCatalog.reviews(id), "no reviews for product " + id);
    } else if (path.startsWith(INVENTORY) && path.indexOf('/', INVENTORY.length()) < 0) {
      String id = path.substring(INVENTORY.length());
      found(request, DemoCatalog.stock(id), "no stock for product " + id);
    } else if (path.startsWith(CUSTOMERS) && path.endsWith("/orders")) {
      String id = path.substring(CUSTOMERS.length(), path.length() - "/orders".length());
      found(request, DemoCatalog.orders(id), "no customer " + id);
    } else {
      json(request, 200, echo(request));
    }
  }

  /** {@code /status/{code}}: answers that status, to exercise retries and error mapping. */
  private void status(HttpServerRequest request, String code) {
    int status;
    try {
      status = Integer.parseInt(code);
    } catch (NumberFormatException e) {
      status = -1;
    }
    HttpServerResponse response = request.response();
    if (status < 200 || status > 599) {
      json(request, 400, error("status must be a number from 200 to 599"));
    } else if (status == 204 || status == 304) {
      response.setStatusCode(status).end();
    } else {
      json(request, status, new JsonObject().put("service", name).put("status", status).encode());
    }
  }

  /** {@code /slow?ms=N}: the echo after N ms, on a timer so the event loop stays free. */
  private void slow(HttpServerRequest request) {
    long millis;
    try {
      millis = Long.parseLong(request.getParam("ms", "0"));
    } catch (NumberFormatException e) {
      millis = -1;
    }
    if (millis < 0 || millis > MAX_DELAY_MILLIS) {
      json(request, 400, error("ms must be a number from 0 to " + MAX_DELAY_MILLIS));
      return;
    }
    String body = echo(request);
    if (millis == 0) {
      json(request, 200, body);
      return;
    }
    vertx.setTimer(
        millis,
        id -> {
          // The client (or the gateway's timeout) may have given up meanwhile.
          if (!request.response().closed()) {
            json(request, 200, body);
          }
        });
  }

  /** POST and PUT: the body streams straight back, with back-pressure, never held in memory. */
  private void echoBody(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType != null) {
      response.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, length);
    } else {
      response.setChunked(true);
    }
    request.pipeTo(response);
  }

  private String echo(HttpServerRequest request) {
    Map<String, Object> headers = new TreeMap<>();
    MultiMap all = request.headers();
    for (String header : all.names()) {
      headers.put(header.toLowerCase(Locale.ROOT), String.join(", ", all.getAll(header)));
    }
    return new JsonObject()
        .put("service", name)
        .put("method", request.method().name())
        .put("path", request.path())
        .put("query", request.query())
        .put("headers", new JsonObject(headers))
        .encode();
  }

  private static void found(HttpServerRequest request, JsonObject body, String missing) {
    if (body == null) {
      json(request, 404, error(missing));
    } else {
      json(request, 200, body.encode());
    }
  }

  private static String error(String message) {
    return new JsonObject().put("error", message).encode();
  }

  /**
   * Ends with a JSON body; a HEAD gets only the headers (Vert.x leaves a HEAD body out on HTTP/1.1
   * but not on HTTP/2).
   */
  private static void json(HttpServerRequest request, int status, String body) {
    Buffer bytes = Buffer.buffer(body);
    HttpServerResponse response =
        request
            .response()
            .setStatusCode(status)
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(bytes.length()));
    if (request.method() == HttpMethod.HEAD) {
      response.end();
    } else {
      response.end(bytes);
    }
  }
}
