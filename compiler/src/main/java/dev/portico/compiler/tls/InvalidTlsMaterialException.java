package dev.portico.compiler.tls;

/** A certificate or key that cannot be served; the message says what to fix and holds no key. */
public final class InvalidTlsMaterialException extends Exception {
  public InvalidTlsMaterialException(String message) {
    super(message);
  }
}
