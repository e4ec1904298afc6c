package dev.portico.dataplane.proxy;

/**
 * What the proxy stage reports back to the server's pipeline for logs and metrics; every method is
 * called on the request's event loop.
 */
public interface ProxyListener {
  /** An attempt starts toward {@code endpoint} ({@code host:port}) of {@code backend}. */
  default void attempt(String backend, String endpoint) {}

  /** A retry is about to be scheduled. */
  default void retry() {}

  /** A connection to a backend could not be made. */
  default void connectFailed(String backend) {}

  /** An endpoint was ejected by outlier detection. */
  default void ejected(String backend) {}

  /** The response head arrived from the backend after {@code nanos} since the first attempt. */
  default void upstreamResponded(long nanos) {}

  /**
   * A part of a composition finished.
   *
   * @param outcome a bounded tag value: ok, status, timeout, connect_failure, ...
   */
  default void composedPart(String part, String outcome, long nanos) {}

  ProxyListener NONE = new ProxyListener() {};
}
