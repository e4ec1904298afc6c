package dev.portico.dataplane.metrics;

/** Status classes as tag values: the {@code status_class} of request meters. */
final class StatusClass {
  static final String[] NAMES = {"1xx", "2xx", "3xx", "4xx", "5xx", "unknown"};
  static final int UNKNOWN = NAMES.length - 1;

  private StatusClass() {}

  /**
   * Index into {@link #NAMES}; a status outside 100-599 (0 when the client left before any
   * response) is "unknown" rather than a tag value of its own.
   */
  static int of(int status) {
    return status >= 100 && status <= 599 ? status / 100 - 1 : UNKNOWN;
  }
}
