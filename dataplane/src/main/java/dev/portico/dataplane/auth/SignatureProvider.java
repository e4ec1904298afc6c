package dev.portico.dataplane.auth;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JCA provider that checks JWT signatures (RSA and ECDSA) for {@link KeySet}'s verifiers: the
 * Amazon Corretto Crypto Provider (AWS-LC, native) when it loads and passes its self-tests, else
 * the JDK's own. The JDK's are correct but slow on the request path: on this project's benchmark
 * machine Nimbus's parse and RS256 check take 76 µs with SunRsaSign against 42 µs here, an ES256
 * check about 2 ms with SunEC against 0.11 ms ({@code bench/jwt.sh}). It is used for these
 * verifiers only, not installed JVM-wide, so TLS and everything else keep the JDK's providers.
 */
final class SignatureProvider {
  private static final Logger LOG = LoggerFactory.getLogger(SignatureProvider.class);

  private SignatureProvider() {}

  /** The native provider, or empty when it is unavailable here (the JDK's providers apply). */
  static Optional<Provider> get() {
    return Holder.PROVIDER;
  }

  /**
   * The key in the provider's own form, made once when a key set loads: given a JDK key, the native
   * provider would convert it again on every verification.
   */
  static RSAPublicKey translate(RSAPublicKey key) {
    return translate(key, RSAPublicKey.class);
  }

  /** See {@link #translate(RSAPublicKey)}. */
  static ECPublicKey translate(ECPublicKey key) {
    return translate(key, ECPublicKey.class);
  }

  private static <K extends PublicKey> K translate(K key, Class<K> type) {
    Optional<Provider> provider = get();
    if (provider.isEmpty()) {
      return key;
    }
    try {
      Key translated = KeyFactory.getInstance(key.getAlgorithm(), provider.get()).translateKey(key);
      return type.isInstance(translated) ? type.cast(translated) : key;
    } catch (GeneralSecurityException | RuntimeException e) {
      return key; // the provider converts it on each use instead
    }
  }

  /** The provider's name, for logs and the benchmark. */
  static String name() {
    return get().map(Provider::getName).orElse("JDK default");
  }

  private static final class Holder {
    static final Optional<Provider> PROVIDER = load();

    private static Optional<Provider> load() {
      try {
        AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
        Throwable error = accp.getLoadingError();
        if (error != null) {
          return unavailable(error);
        }
        accp.assertHealthy();
        LOG.info("JWT signatures are checked with {} {}", accp.getName(), accp.getVersionStr());
        return Optional.of(accp);
      } catch (RuntimeException | LinkageError e) {
        // Another platform than the bundled native library's, or a failed self-test.
        return unavailable(e);
      }
    }

    private static Optional<Provider> unavailable(Throwable why) {
      LOG.warn("native crypto unavailable ({}); JWT signatures use the JDK's providers", why);
      return Optional.empty();
    }
  }
}
