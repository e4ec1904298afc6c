package dev.portico.dataplane.compose;

import io.vertx.core.buffer.Buffer;

/**
 * How one part request ended, as {@link PartCall} reports it.
 *
 * @param status the part's HTTP status for {@link Outcome#OK} and {@link Outcome#STATUS}, else 0
 * @param body the decoded body (gzip undone) for OK and STATUS, else null
 * @param contentType the part's Content-Type, or null
 * @param detail why it failed, for the problem document and the log; never request data
 */
record PartResult(Outcome outcome, int status, Buffer body, String contentType, String detail) {

  /** The kinds of ending; each maps to one status when a required part fails. */
  enum Outcome {
    /** A 2xx response, read whole. */
    OK,
    /** A non-2xx response, read whole. */
    STATUS,
    CONNECT_FAILURE,
    RESET,
    TIMEOUT,
    NO_BACKEND,
    NO_ENDPOINT,
    TOO_LARGE,
    /** Not JSON, an unknown Content-Encoding, broken gzip. */
    BAD_BODY,
    /** A part it depends on failed and had no fallback. */
    SKIPPED,
    /** The client request lacks a query parameter or header the template needs. */
    MISSING_INPUT;

    /** The tag value of {@code portico_compose_part_duration}. */
    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  static PartResult failed(Outcome outcome, String detail) {
    return new PartResult(outcome, 0, null, null, detail);
  }

  boolean ok() {
    return outcome == Outcome.OK;
  }
}
