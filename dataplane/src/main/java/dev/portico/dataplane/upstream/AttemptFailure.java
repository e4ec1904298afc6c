package dev.portico.dataplane.upstream;

/**
 * How one attempt to an endpoint failed, as the proxy reports it after the attempt: the input of
 * both {@link RetryDecider} and {@link OutlierDetector}.
 *
 * <p>Constant names are the snapshot's {@code retryOn} names. A per-try timeout counts as {@link
 * #Status504}, the answer the gateway would give for it; other statuses are not failures here.
 */
public enum AttemptFailure {
  /** No connection: refused, unreachable, TLS handshake or connect timeout. Nothing was sent. */
  ConnectFailure,
  /** The connection closed or was reset before a complete response head arrived. */
  Reset,
  Status502,
  Status503,
  Status504;

  /** The failure a response status stands for, or null when the status is not a failure. */
  public static AttemptFailure ofStatus(int status) {
    switch (status) {
      case 502:
        return Status502;
      case 503:
        return Status503;
      case 504:
        return Status504;
      default:
        return null;
    }
  }

  /** The failure with a {@code retryOn} name, or null for a name this version does not know. */
  static AttemptFailure named(String name) {
    for (AttemptFailure failure : values()) {
      if (failure.name().equals(name)) {
        return failure;
      }
    }
    return null;
  }
}
