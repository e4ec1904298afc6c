package dev.portico.dataplane.standalone;

/** A folder of manifests that cannot be served; the message lists every reason. */
public final class StandaloneConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public StandaloneConfigException(String message) {
    super(message);
  }

  public StandaloneConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
