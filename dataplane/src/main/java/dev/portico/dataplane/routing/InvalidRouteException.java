package dev.portico.dataplane.routing;

/**
 * A snapshot entry the data plane cannot route with, found while building a {@link RouteTable}; the
 * snapshot is refused and the previous one keeps serving.
 */
public final class InvalidRouteException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidRouteException(String message, Throwable cause) {
    super(message, cause);
  }
}
