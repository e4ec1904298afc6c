package dev.portico.dataplane.auth;

/**
 * A credential was presented and is not valid. The message (which check failed) is for tests and
 * debug logs, never for the client.
 */
final class InvalidCredentialException extends Exception {
  InvalidCredentialException(String message) {
    super(message, null, false, false);
  }
}
