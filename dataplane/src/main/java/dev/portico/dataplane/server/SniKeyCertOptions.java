package dev.portico.dataplane.server;

import dev.portico.snapshot.TlsCertificate;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.KeyManagerFactory;

/**
 * An HTTPS listener's certificates for Vert.x: the SNI server name picks the certificate whose
 * names (DNS subject alternative names, else the common name) match it, exactly first, then by
 * wildcard; a client without SNI, or with a name no certificate has, gets the first one. Vert.x's
 * own PEM options leave that default to the JDK's key manager, which may pick any of them.
 */
final class SniKeyCertOptions implements KeyCertOptions {
  private static final char[] NO_PASSWORD = new char[0];

  private record Entry(Set<String> names, KeyManagerFactory keys) {}

  private final List<Entry> entries;

  /**
   * @throws IllegalArgumentException when a certificate or key cannot be read (the compiler checked
   *     them, so only a snapshot from elsewhere gets here)
   */
  SniKeyCertOptions(List<TlsCertificate> certificates) {
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("an HTTPS listener needs at least one certificate");
    }
    List<Entry> list = new ArrayList<>();
    for (TlsCertificate c : certificates) {
      try {
        List<X509Certificate> chain = chain(c.certificateChainPem());
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(
            "key", key(c.privateKeyPem()), NO_PASSWORD, chain.toArray(new Certificate[0]));
        KeyManagerFactory keys =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, NO_PASSWORD);
        list.add(new Entry(names(chain.get(0)), keys));
      } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
        throw new IllegalArgumentException(
            "certificate from Secret " + c.secret() + " cannot be used: " + e.getClass().getName());
      }
    }
    this.entries = List.copyOf(list);
  }

  @Override
  public KeyCertOptions copy() {
    return this; // immutable
  }

  @Override
  public KeyManagerFactory getKeyManagerFactory(Vertx vertx) {
    return entries.get(0).keys();
  }

  @Override
  public Function<String, KeyManagerFactory> keyManagerFactoryMapper(Vertx vertx) {
    return this::forServerName;
  }

  /** The certificate for an SNI name; null (the default, the first) when none has the name. */
  KeyManagerFactory forServerName(String serverName) {
    if (serverName == null) {
      return null;
    }
    String name = serverName.toLowerCase(Locale.ROOT);
    for (Entry e : entries) {
      if (e.names().contains(name)) {
        return e.keys();
      }
    }
    int dot = name.indexOf('.');
    String wildcard = dot > 0 ? "*" + name.substring(dot) : null;
    for (Entry e : entries) {
      if (wildcard != null && e.names().contains(wildcard)) {
        return e.keys();
      }
    }
    return null;
  }

  private static List<X509Certificate> chain(String pem) throws GeneralSecurityException {
    Collection<? extends Certificate> certs =
        CertificateFactory.getInstance("X.509")
            .generateCertificates(
                new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    List<X509Certificate> chain = new ArrayList<>();
    for (Certificate c : certs) {
      chain.add((X509Certificate) c);
    }
    if (chain.isEmpty()) {
      throw new GeneralSecurityException("no certificate");
    }
    return chain;
  }

  /** PKCS#8, as the compiler writes every key; RSA or EC. */
  private static PrivateKey key(String pem) throws GeneralSecurityException {
    byte[] der =
        Base64.getMimeDecoder()
            .decode(
                pem.replace("-----BEGIN PRIVATE KEY-----", "")
                    .replace("-----END PRIVATE KEY-----", ""));
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(spec);
    } catch (GeneralSecurityException e) {
      return KeyFactory.getInstance("EC").generatePrivate(spec);
    }
  }

  private static Set<String> names(X509Certificate leaf) throws GeneralSecurityException {
    Set<String> names = new HashSet<>();
    Collection<List<?>> alternatives = leaf.getSubjectAlternativeNames();
    if (alternatives != null) {
      for (List<?> alt : alternatives) {
        if (Integer.valueOf(2).equals(alt.get(0))) { // dNSName
          names.add(alt.get(1).toString().toLowerCase(Locale.ROOT));
        }
      }
    }
    if (names.isEmpty()) {
      try {
        for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
          if (rdn.getType().equalsIgnoreCase("CN")) {
            names.add(rdn.getValue().toString().toLowerCase(Locale.ROOT));
          }
        }
      } catch (javax.naming.InvalidNameException e) {
        // no common name either: the certificate is served only as the default
      }
    }
    return names;
  }
}
