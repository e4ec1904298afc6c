package dev.portico.manifest;

/** A manifest file that cannot be read: names the file, the document and what is wrong. */
public class ManifestException extends Exception {
  public ManifestException(String message, Throwable cause) {
    super(message, cause);
  }

  public ManifestException(String message) {
    super(message);
  }
}
