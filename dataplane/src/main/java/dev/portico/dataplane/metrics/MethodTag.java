package dev.portico.dataplane.metrics;

/** Request methods as tag values: the {@code method} of request meters. */
final class MethodTag {
  static final String[] NAMES = {
    "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "OTHER"
  };
  static final int OTHER = NAMES.length - 1;

  private MethodTag() {}

  /**
   * Index into {@link #NAMES}. Clients may send any token as a method, so anything unknown is
   * OTHER: one series, not one per invented method.
   */
  static int of(String method) {
    if (method == null) {
      return OTHER;
    }
    for (int i = 0; i < OTHER; i++) {
      if (NAMES[i].equals(method)) {
        return i;
      }
    }
    return OTHER;
  }
}
