package dev.portico.compiler.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** Self-signed certificates for tests, with the key in each PEM format a Secret may hold. */
public final class TestCertificates {
  /** Key encodings found in kubernetes.io/tls Secrets. */
  public enum KeyFormat {
    PKCS8,
    /** {@code RSA PRIVATE KEY} or {@code EC PRIVATE KEY} (SEC1), by key type. */
    TRADITIONAL
  }

  /** A certificate for {@code hostname} and its key, both PEM. */
  public record Issued(String certificatePem, String keyPem) {
    public byte[] certificate() {
      return certificatePem.getBytes(StandardCharsets.US_ASCII);
    }

    public byte[] key() {
      return keyPem.getBytes(StandardCharsets.US_ASCII);
    }

    /** The certificate as base64 DER, the PEM body without its lines. */
    public String certificateDer() {
      return certificatePem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    }
  }

  private TestCertificates() {}

  public static Issued rsa(String hostname, KeyFormat format) {
    return issue(hostname, "RSA", format);
  }

  public static Issued ec(String hostname, KeyFormat format) {
    return issue(hostname, "EC", format);
  }

  private static Issued issue(String hostname, String algorithm, KeyFormat format) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      if (algorithm.equals("EC")) {
        generator.initialize(new ECGenParameterSpec("secp256r1"));
      } else {
        generator.initialize(2048);
      }
      KeyPair pair = generator.generateKeyPair();
      Instant now = Instant.now();
      X500Name name = new X500Name("CN=" + hostname);
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              name,
              BigInteger.valueOf(now.toEpochMilli()),
              Date.from(now.minus(1, ChronoUnit.HOURS)),
              Date.from(now.plus(1, ChronoUnit.DAYS)),
              name,
              pair.getPublic());
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(new GeneralName(GeneralName.dNSName, hostname)));
      String signature = algorithm.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
      var holder = builder.build(new JcaContentSignerBuilder(signature).build(pair.getPrivate()));
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded());
      String keyPem =
          format == KeyFormat.PKCS8
              ? pem("PRIVATE KEY", info.getEncoded())
              : algorithm.equals("EC")
                  ? pem("EC PRIVATE KEY", sec1(info))
                  : pem("RSA PRIVATE KEY", info.parsePrivateKey().toASN1Primitive().getEncoded());
      return new Issued(pem("CERTIFICATE", holder.getEncoded()), keyPem);
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      throw new IllegalStateException("cannot issue a test certificate", e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot sign a test certificate", e);
    }
  }

  /** SEC1 with the curve named inside, as openssl writes it. */
  private static byte[] sec1(PrivateKeyInfo info) throws IOException {
    ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
    return new ECPrivateKey(
            256, inner.getKey(), null, info.getPrivateKeyAlgorithm().getParameters())
        .getEncoded();
  }

  private static String pem(String type, byte[] der) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(new PemObject(type, der));
    }
    return out.toString();
  }
}
