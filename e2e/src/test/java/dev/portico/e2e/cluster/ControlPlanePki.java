package dev.portico.e2e.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemGenerationException;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/**
 * The certificates and keys of a throwaway control plane, the same set {@code
 * e2e/control-plane/smoke.sh} makes with openssl: a CA, the apiserver's serving certificate, an
 * admin client certificate in group {@code system:masters}, and the service-account key pair.
 * Generated in Java so the suite needs no openssl binary.
 */
final class ControlPlanePki {
  private static final Duration VALIDITY = Duration.ofDays(3650);

  final Path caCert;
  final Path caKey;
  final Path apiserverCert;
  final Path apiserverKey;
  final Path adminCert;
  final Path adminKey;
  final Path serviceAccountKey;
  final Path serviceAccountPub;

  private final SecureRandom random = new SecureRandom();

  private ControlPlanePki(Path dir) {
    caCert = dir.resolve("ca.crt");
    caKey = dir.resolve("ca.key");
    apiserverCert = dir.resolve("apiserver.crt");
    apiserverKey = dir.resolve("apiserver.key");
    adminCert = dir.resolve("admin.crt");
    adminKey = dir.resolve("admin.key");
    serviceAccountKey = dir.resolve("sa.key");
    serviceAccountPub = dir.resolve("sa.pub");
  }

  /** Generates every file into {@code dir} (created if missing). */
  static ControlPlanePki generate(Path dir) {
    try {
      Files.createDirectories(dir);
      ControlPlanePki pki = new ControlPlanePki(dir);
      pki.writeAll();
      return pki;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot generate control-plane certificates", e);
    }
  }

  private void writeAll() throws IOException, GeneralSecurityException, OperatorCreationException {
    KeyPair ca = keyPair();
    X500Name caName = name(null, "portico-e2e-ca");
    X509Certificate caCertificate =
        sign(caName, ca, caName, ca, new BasicConstraints(true), caUsage(), null, null);
    writePem(caCert, caCertificate);
    writePem(caKey, pkcs8(ca));

    KeyPair apiserver = keyPair();
    GeneralNames sans =
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
              new GeneralName(GeneralName.dNSName, "localhost"),
              new GeneralName(GeneralName.iPAddress, "10.0.0.1"),
              new GeneralName(GeneralName.dNSName, "kubernetes"),
              new GeneralName(GeneralName.dNSName, "kubernetes.default"),
              new GeneralName(GeneralName.dNSName, "kubernetes.default.svc"),
              new GeneralName(GeneralName.dNSName, "kubernetes.default.svc.cluster.local")
            });
    writePem(
        apiserverCert,
        sign(
            name(null, "kube-apiserver"),
            apiserver,
            caName,
            ca,
            new BasicConstraints(false),
            leafUsage(),
            KeyPurposeId.id_kp_serverAuth,
            sans));
    writePem(apiserverKey, pkcs8(apiserver));

    // O=system:masters makes this user cluster-admin under RBAC; KCM uses the same identity.
    KeyPair admin = keyPair();
    writePem(
        adminCert,
        sign(
            name("system:masters", "portico-admin"),
            admin,
            caName,
            ca,
            new BasicConstraints(false),
            leafUsage(),
            KeyPurposeId.id_kp_clientAuth,
            null));
    writePem(adminKey, pkcs8(admin));

    KeyPair serviceAccount = keyPair();
    writePem(serviceAccountKey, pkcs8(serviceAccount));
    writePem(serviceAccountPub, serviceAccount.getPublic());
  }

  private X509Certificate sign(
      X500Name subject,
      KeyPair subjectKeys,
      X500Name issuer,
      KeyPair issuerKeys,
      BasicConstraints constraints,
      KeyUsage usage,
      KeyPurposeId extendedUsage,
      GeneralNames sans)
      throws IOException, GeneralSecurityException, OperatorCreationException {
    Instant now = Instant.now();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            issuer,
            new BigInteger(127, random),
            Date.from(now.minus(Duration.ofHours(1))), // tolerate small clock skew
            Date.from(now.plus(VALIDITY)),
            subject,
            subjectKeys.getPublic());
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    builder.addExtension(Extension.basicConstraints, true, constraints);
    builder.addExtension(Extension.keyUsage, true, usage);
    builder.addExtension(
        Extension.subjectKeyIdentifier,
        false,
        extensions.createSubjectKeyIdentifier(subjectKeys.getPublic()));
    if (extendedUsage != null) {
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(extendedUsage));
    }
    if (sans != null) {
      builder.addExtension(Extension.subjectAlternativeName, false, sans);
    }
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
  }

  private static KeyUsage caUsage() {
    return new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature);
  }

  private static KeyUsage leafUsage() {
    return new KeyUsage(KeyUsage.digitalSignature);
  }

  private static X500Name name(String organization, String commonName) {
    X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
    if (organization != null) {
      builder.addRDN(BCStyle.O, organization);
    }
    return builder.addRDN(BCStyle.CN, commonName).build();
  }

  /**
   * ECDSA P-256 where smoke.sh uses RSA 2048: a cold JVM needs about 1.5 s per RSA key, which was a
   * third of the control plane's startup. Kubernetes accepts both for every file here
   * (service-account tokens are then signed with ES256).
   */
  private KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), random);
    return generator.generateKeyPair();
  }

  /**
   * PKCS#8 ("PRIVATE KEY"): BouncyCastle's default SEC1 form ("EC PRIVATE KEY") of a JDK key omits
   * the curve, which Go cannot parse.
   */
  private static PemObjectGenerator pkcs8(KeyPair keys) throws PemGenerationException {
    return new JcaPKCS8Generator(keys.getPrivate(), null);
  }

  private static void writePem(Path file, Object object) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
        JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(object);
    }
  }
}
