package dev.portico.dataplane.server;

import dev.portico.snapshot.TlsCertificate;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.ServerSSLOptions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The TLS settings of an HTTPS listener: its certificates (chosen by SNI, the first one for clients
 * that send none), ALPN with h2 and http/1.1, TLS 1.2 and 1.3 only, and forward-secret AEAD cipher
 * suites (Mozilla's "intermediate" profile).
 */
final class TlsServerOptions {
  static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  /** TLS 1.3 suites, then ECDHE with AES-GCM or ChaCha20-Poly1305 for TLS 1.2. */
  static final List<String> CIPHER_SUITES =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private static final long HANDSHAKE_TIMEOUT_SECONDS = 10;

  private TlsServerOptions() {}

  /**
   * Makes {@code options} serve TLS with {@code certificates}.
   *
   * @throws IllegalArgumentException when a certificate or key cannot be read
   */
  static HttpServerOptions apply(HttpServerOptions options, List<TlsCertificate> certificates) {
    options
        .setSsl(true)
        .setSni(true)
        .setUseAlpn(true)
        .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
        .setKeyCertOptions(keyCerts(certificates))
        .setEnabledSecureTransportProtocols(PROTOCOLS)
        .setSslHandshakeTimeout(HANDSHAKE_TIMEOUT_SECONDS)
        .setSslHandshakeTimeoutUnit(TimeUnit.SECONDS);
    CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
    return options;
  }

  /**
   * The same settings for {@code HttpServer.updateSSLOptions}: new certificates for an open
   * listener. ALPN protocols come from the server's own options.
   *
   * @throws IllegalArgumentException when a certificate or key cannot be read
   */
  static ServerSSLOptions update(List<TlsCertificate> certificates) {
    ServerSSLOptions options =
        new ServerSSLOptions()
            .setSni(true)
            .setUseAlpn(true)
            .setKeyCertOptions(keyCerts(certificates))
            .setEnabledSecureTransportProtocols(PROTOCOLS)
            .setSslHandshakeTimeout(HANDSHAKE_TIMEOUT_SECONDS)
            .setSslHandshakeTimeoutUnit(TimeUnit.SECONDS);
    CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
    return options;
  }

  private static SniKeyCertOptions keyCerts(List<TlsCertificate> certificates) {
    return new SniKeyCertOptions(certificates);
  }
}
