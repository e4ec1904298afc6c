package dev.portico.dataplane.routing;

import java.util.Locale;

/**
 * Why {@link PathNormalizer} refused a request-target; each one becomes a 400 problem+json before
 * any route is matched.
 */
public enum PathError {
  /** Not origin-form: empty, {@code *}, or absolute-form that the caller did not split. */
  MISSING_LEADING_SLASH("The request path must start with '/'"),
  /** {@code %2F}: a backend that decodes it would see other segments than the gateway matched. */
  ENCODED_SLASH("The request path contains an encoded slash (%2F)"),
  /** {@code %5C}: some backends (Windows, some Java containers) treat it as a separator. */
  ENCODED_BACKSLASH("The request path contains an encoded backslash (%5C)"),
  /** A raw backslash, which some backends treat as a separator. */
  BACKSLASH("The request path contains a backslash"),
  /** NUL or another control character, raw or percent-encoded. */
  CONTROL_CHARACTER("The request-target contains a control character"),
  /** A {@code %} not followed by two hex digits. */
  INVALID_PERCENT_ENCODING("The request path contains invalid percent-encoding"),
  /** A raw non-ASCII character or a fragment ({@code #}): not allowed in a request-target. */
  INVALID_CHARACTER("The request-target contains a character that must be percent-encoded");

  private final String title;

  PathError(String title) {
    this.title = title;
  }

  /** A short, fixed summary for a problem+json {@code title}. */
  public String title() {
    return title;
  }

  /** A stable kebab-case code, e.g. {@code encoded-slash}, for a problem+json {@code type}. */
  public String slug() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
