package dev.portico.compiler;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * A Secret a DataPlane listener refers to, reduced to what the compiler reads: the compiler's input
 * holds these rather than whole Secrets, so no other key of a Secret travels further. {@link
 * #toString()} never shows the key.
 *
 * @param type the Secret's type; certificates are read only from {@value #TYPE}
 * @param certificate {@code tls.crt}, or null when the Secret has none
 * @param privateKey {@code tls.key}, or null when the Secret has none
 * @param uid null for Secrets read from files
 * @param resourceVersion null for Secrets read from files
 */
public record TlsSecret(
    String namespace,
    String name,
    String type,
    byte[] certificate,
    byte[] privateKey,
    String uid,
    String resourceVersion) {
  /** The only Secret type certificates are read from. */
  public static final String TYPE = "kubernetes.io/tls";

  public static final String CERTIFICATE_KEY = "tls.crt";
  public static final String PRIVATE_KEY_KEY = "tls.key";

  /**
   * Reduces a Secret; {@code data} is base64 (as the API server returns it), {@code stringData}
   * plain text (as files may hold it) and wins, as it does on the API server.
   *
   * @throws IllegalArgumentException when a {@code data} value is not base64
   */
  public static TlsSecret of(Secret secret) {
    ObjectMeta m = secret.getMetadata();
    return new TlsSecret(
        m.getNamespace(),
        m.getName(),
        secret.getType() == null ? "Opaque" : secret.getType(),
        value(secret, CERTIFICATE_KEY),
        value(secret, PRIVATE_KEY_KEY),
        m.getUid(),
        m.getResourceVersion());
  }

  /** {@code namespace/name}. */
  public String id() {
    return (namespace == null ? "" : namespace) + "/" + name;
  }

  private static byte[] value(Secret secret, String key) {
    Map<String, String> plain = secret.getStringData();
    if (plain != null && plain.get(key) != null) {
      return plain.get(key).getBytes(StandardCharsets.UTF_8);
    }
    Map<String, String> data = secret.getData();
    if (data != null && data.get(key) != null) {
      return Base64.getMimeDecoder().decode(data.get(key));
    }
    return null;
  }

  @Override
  public String toString() {
    return "TlsSecret[" + id() + ", type=" + type + ", resourceVersion=" + resourceVersion + "]";
  }
}
