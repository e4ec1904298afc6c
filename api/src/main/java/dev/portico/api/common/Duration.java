package dev.portico.api.common;

/**
 * The duration format shared with the Gateway API, e.g. {@code 250ms}, {@code 5s}, {@code 1m30s}.
 */
public final class Duration {
  private Duration() {}

  /** Admission-time pattern: one to four number+unit pairs, units h, m, s, ms. */
  public static final String PATTERN = "^([0-9]{1,5}(h|m|s|ms)){1,4}$";
}
