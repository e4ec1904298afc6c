package dev.portico.dataplane.server;

import dev.portico.dataplane.routing.NormalizedPath;
import dev.portico.dataplane.routing.QueryParams;
import dev.portico.dataplane.routing.RequestView;
import io.vertx.core.http.HttpServerRequest;

/** Adapts a live Vert.x request and its normalized path to what route matching reads. */
final class ServerRequestView implements RequestView {
  private final HttpServerRequest request;
  private final NormalizedPath path;
  private final String method;
  private QueryParams query;

  ServerRequestView(HttpServerRequest request, NormalizedPath path) {
    this(request, path, null);
  }

  private ServerRequestView(HttpServerRequest request, NormalizedPath path, String method) {
    this.request = request;
    this.path = path;
    this.method = method;
  }

  /** The same request as if its method were {@code method}: a CORS preflight's requested one. */
  ServerRequestView withMethod(String method) {
    return new ServerRequestView(request, path, method);
  }

  @Override
  public String method() {
    return method != null ? method : request.method().name();
  }

  @Override
  public String path() {
    return path.path();
  }

  @Override
  public String header(String lowerCaseName) {
    return request.getHeader(lowerCaseName);
  }

  @Override
  public String queryParam(String name) {
    if (query == null) {
      query = new QueryParams(path.rawQuery());
    }
    return query.first(name);
  }
}
