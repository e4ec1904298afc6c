package dev.portico.dataplane.auth;

/** An issuer's keys could not be had (its JWK Set URL never answered): nothing can be verified. */
final class KeysUnavailableException extends Exception {
  KeysUnavailableException(String message) {
    super(message, null, false, false);
  }
}
