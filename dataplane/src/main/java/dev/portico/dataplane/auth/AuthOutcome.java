package dev.portico.dataplane.auth;

/**
 * The end of the authentication and authorization stage for one request.
 *
 * @param identity who passed (possibly {@link Identity#ANONYMOUS}); null when refused
 * @param status 0 when admitted, else 401, 403 or 503
 * @param challenge the WWW-Authenticate value of a 401, or null
 * @param detail what the problem document says: enough to act on, never which check failed
 */
public record AuthOutcome(Identity identity, int status, String challenge, String detail) {
  static AuthOutcome admitted(Identity identity) {
    return new AuthOutcome(identity, 0, null, null);
  }

  static AuthOutcome unauthenticated(String challenge, String detail) {
    return new AuthOutcome(null, 401, challenge, detail);
  }

  static AuthOutcome forbidden() {
    return new AuthOutcome(null, 403, null, "the caller is not allowed to make this request");
  }

  static AuthOutcome unavailable(String detail) {
    return new AuthOutcome(null, 503, null, detail);
  }

  public boolean admitted() {
    return status == 0;
  }
}
