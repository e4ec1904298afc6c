package dev.portico.snapshot;

/**
 * A certificate an HTTPS listener serves, resolved by the compiler from a kubernetes.io/tls Secret
 * and carried to the replicas over the operator's TLS channel. {@link #toString()} never shows the
 * key; views for people use {@link #redacted()}.
 *
 * @param secret {@code namespace/name} of the Secret it came from
 * @param certificateChainPem the leaf certificate first, then its intermediates, PEM
 * @param privateKeyPem the leaf's private key as PKCS#8 PEM ({@code BEGIN PRIVATE KEY})
 */
public record TlsCertificate(String secret, String certificateChainPem, String privateKeyPem) {
  /** What replaces the private key in views for people (admin port, {@code translate}). */
  public static final String REDACTED = "<redacted>";

  /** The same certificate without its private key. */
  public TlsCertificate redacted() {
    return new TlsCertificate(secret, certificateChainPem, REDACTED);
  }

  @Override
  public String toString() {
    return "TlsCertificate[secret=" + secret + ", privateKeyPem=" + REDACTED + "]";
  }
}
