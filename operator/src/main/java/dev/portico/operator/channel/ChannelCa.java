package dev.portico.operator.channel;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate authority of the snapshot channel: one per cluster, kept in a Secret in the
 * operator's namespace so every operator replica serves under the same CA, and data planes trust it
 * through the {@code ca.crt} the operator hands them. Each operator replica issues its own
 * short-lived serving certificate from it at start.
 */
public final class ChannelCa {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelCa.class);
  static final String SECRET = "portico-channel-ca";
  private static final Duration CA_LIFETIME = Duration.ofDays(3650);
  private static final Duration SERVING_LIFETIME = Duration.ofDays(365);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyPair keys;
  private final X509Certificate cert;

  private ChannelCa(KeyPair keys, X509Certificate cert) {
    this.keys = keys;
    this.cert = cert;
  }

  /** A CA that lives only as long as this process: for tests and single-replica runs. */
  public static ChannelCa ephemeral() {
    try {
      KeyPair keys = keyPair();
      return new ChannelCa(keys, selfSigned(keys));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot create the channel CA", e);
    }
  }

  /** Loads the CA from its Secret, creating it on first start (racing replicas agree on one). */
  public static ChannelCa loadOrCreate(KubernetesClient client, String namespace) {
    for (int attempt = 0; attempt < 3; attempt++) {
      Secret secret = client.secrets().inNamespace(namespace).withName(SECRET).get();
      if (secret != null) {
        return fromSecret(secret);
      }
      ChannelCa created = ephemeral();
      try {
        client.secrets().inNamespace(namespace).resource(created.toSecret(namespace)).create();
        LOG.info("created the snapshot channel CA in Secret {}/{}", namespace, SECRET);
        return created;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        // Another replica created it first: read theirs.
      }
    }
    throw new IllegalStateException("cannot load or create Secret " + namespace + "/" + SECRET);
  }

  public String certPem() {
    return pem(cert);
  }

  /** A TLS context serving a fresh certificate for these DNS names and IP addresses. */
  public SSLContext serverContext(List<String> dnsNames, List<String> ips) {
    try {
      KeyPair serving = keyPair();
      Instant now = Instant.now();
      List<GeneralName> names = new ArrayList<>();
      dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
      ips.forEach(n -> names.add(new GeneralName(GeneralName.iPAddress, n)));
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  cert,
                  new BigInteger(64, RANDOM),
                  Date.from(now.minus(Duration.ofMinutes(5))),
                  Date.from(now.plus(SERVING_LIFETIME)),
                  new X500Name("CN=portico-operator"),
                  serving.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
              .addExtension(
                  Extension.subjectAlternativeName,
                  false,
                  new GeneralNames(names.toArray(GeneralName[]::new)));
      X509Certificate leaf =
          new JcaX509CertificateConverter()
              .getCertificate(
                  builder.build(
                      new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = new char[0];
      store.setKeyEntry(
          "serving", serving.getPrivate(), password, new X509Certificate[] {leaf, cert});
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, RANDOM);
      return context;
    } catch (GeneralSecurityException
        | IOException
        | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException("cannot issue the channel's serving certificate", e);
    }
  }

  private Secret toSecret(String namespace) {
    Base64.Encoder b64 = Base64.getEncoder();
    return new SecretBuilder()
        .withNewMetadata()
        .withName(SECRET)
        .withNamespace(namespace)
        .addToLabels("app.kubernetes.io/part-of", "portico")
        .endMetadata()
        .withType("kubernetes.io/tls")
        .withData(
            Map.of(
                "tls.crt", b64.encodeToString(pem(cert).getBytes(StandardCharsets.US_ASCII)),
                "tls.key",
                    b64.encodeToString(pem(keys.getPrivate()).getBytes(StandardCharsets.US_ASCII))))
        .build();
  }

  private static ChannelCa fromSecret(Secret secret) {
    Base64.Decoder b64 = Base64.getDecoder();
    String certPem =
        new String(b64.decode(secret.getData().get("tls.crt")), StandardCharsets.US_ASCII);
    String keyPem =
        new String(b64.decode(secret.getData().get("tls.key")), StandardCharsets.US_ASCII);
    try (PEMParser certs = new PEMParser(new StringReader(certPem));
        PEMParser key = new PEMParser(new StringReader(keyPem))) {
      X509Certificate cert =
          new JcaX509CertificateConverter()
              .getCertificate((org.bouncycastle.cert.X509CertificateHolder) certs.readObject());
      Object parsed = key.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      PrivateKey privateKey =
          parsed instanceof PEMKeyPair pair
              ? converter.getKeyPair(pair).getPrivate()
              : converter.getPrivateKey((PrivateKeyInfo) parsed);
      return new ChannelCa(new KeyPair(cert.getPublicKey(), privateKey), cert);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Secret " + SECRET + " does not hold a usable CA", e);
    }
  }

  private static X509Certificate selfSigned(KeyPair keys)
      throws GeneralSecurityException, IOException {
    Instant now = Instant.now();
    X500Name name = new X500Name("CN=portico-channel-ca");
    try {
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  name,
                  new BigInteger(64, RANDOM),
                  Date.from(now.minus(Duration.ofMinutes(5))),
                  Date.from(now.plus(CA_LIFETIME)),
                  name,
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(
          object instanceof PrivateKey key ? new JcaPKCS8Generator(key, null) : object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
