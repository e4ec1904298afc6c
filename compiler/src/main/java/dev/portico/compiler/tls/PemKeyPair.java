package dev.portico.compiler.tls;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A certificate chain and its private key from PEM, normalized for the data plane: the chain
 * re-encoded certificate by certificate (text around the blocks dropped), the key as PKCS#8
 * whatever it was given as (PKCS#8 {@code PRIVATE KEY}, PKCS#1 {@code RSA PRIVATE KEY}, SEC1 {@code
 * EC PRIVATE KEY}). The key must belong to the first certificate.
 *
 * @param certificateChainPem one {@code CERTIFICATE} block per certificate, leaf first
 * @param privateKeyPem one {@code PRIVATE KEY} block
 */
public record PemKeyPair(String certificateChainPem, String privateKeyPem) {
  private static final byte[] PROBE = "portico key check".getBytes(StandardCharsets.US_ASCII);

  /**
   * @throws InvalidTlsMaterialException when either side cannot be read or they do not belong
   *     together; the message names {@code tls.crt} or {@code tls.key} and never quotes key bytes
   */
  public static PemKeyPair parse(byte[] certificatePem, byte[] keyPem)
      throws InvalidTlsMaterialException {
    List<X509CertificateHolder> chain = certificates(certificatePem);
    PrivateKeyInfo key = privateKey(keyPem);
    checkPair(chain.get(0), key);
    StringBuilder pem = new StringBuilder();
    try {
      for (X509CertificateHolder c : chain) {
        pem.append(block("CERTIFICATE", c.getEncoded()));
      }
      return new PemKeyPair(pem.toString(), block("PRIVATE KEY", key.getEncoded()));
    } catch (IOException e) {
      throw new InvalidTlsMaterialException(
          "cannot be re-encoded: " + e.getClass().getSimpleName());
    }
  }

  @Override
  public String toString() {
    return "PemKeyPair[certificateChainPem=" + certificateChainPem + ", privateKeyPem=<redacted>]";
  }

  private static List<X509CertificateHolder> certificates(byte[] pem)
      throws InvalidTlsMaterialException {
    List<X509CertificateHolder> chain = new ArrayList<>();
    try (PEMParser parser = parser(pem)) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (!(o instanceof X509CertificateHolder c)) {
          throw new InvalidTlsMaterialException(
              "tls.crt holds a " + kind(o) + " block; it must hold only CERTIFICATE blocks");
        }
        chain.add(c);
      }
    } catch (IOException | RuntimeException e) {
      throw new InvalidTlsMaterialException(
          "tls.crt is not a valid PEM certificate chain (" + e.getClass().getSimpleName() + ")");
    }
    if (chain.isEmpty()) {
      throw new InvalidTlsMaterialException(
          "tls.crt holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    return chain;
  }

  private static PrivateKeyInfo privateKey(byte[] pem) throws InvalidTlsMaterialException {
    PrivateKeyInfo key = null;
    try (PEMParser parser = parser(pem)) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new InvalidTlsMaterialException(
              "tls.key is encrypted; store the private key unencrypted in the Secret");
        }
        PrivateKeyInfo found =
            o instanceof PEMKeyPair pair
                ? pair.getPrivateKeyInfo()
                : o instanceof PrivateKeyInfo info ? info : null;
        if (found != null) {
          if (key != null) {
            throw new InvalidTlsMaterialException("tls.key holds more than one private key");
          }
          key = found;
        } else if (!(o instanceof ASN1ObjectIdentifier || o instanceof X9ECParameters)) {
          // EC PARAMETERS blocks (openssl ecparam -genkey) are harmless; anything else is a mix-up.
          throw new InvalidTlsMaterialException(
              "tls.key holds a " + kind(o) + " block where a private key is expected");
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new InvalidTlsMaterialException(
          "tls.key is not a valid PEM private key (" + e.getClass().getSimpleName() + ")");
    }
    if (key == null) {
      throw new InvalidTlsMaterialException(
          "tls.key holds no PEM private key (PKCS#8 PRIVATE KEY, PKCS#1 RSA PRIVATE KEY or SEC1 EC"
              + " PRIVATE KEY)");
    }
    return key;
  }

  /** Signs with the key and verifies with the certificate: works alike for every key type. */
  private static void checkPair(X509CertificateHolder leaf, PrivateKeyInfo keyInfo)
      throws InvalidTlsMaterialException {
    PublicKey publicKey;
    PrivateKey privateKey;
    try {
      publicKey = new JcaX509CertificateConverter().getCertificate(leaf).getPublicKey();
      privateKey = new JcaPEMKeyConverter().getPrivateKey(keyInfo);
    } catch (GeneralSecurityException | IOException e) {
      throw new InvalidTlsMaterialException(
          "tls.crt or tls.key uses a key type this data plane cannot read; use RSA or EC keys");
    }
    String algorithm =
        switch (privateKey.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC", "ECDSA" -> "SHA256withECDSA";
          default -> null;
        };
    if (algorithm == null) {
      throw new InvalidTlsMaterialException(
          "tls.key is a " + privateKey.getAlgorithm() + " key; use an RSA or EC key");
    }
    boolean matches;
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(PROBE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(PROBE);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      matches = false; // e.g. an EC key against an RSA certificate
    }
    if (!matches) {
      throw new InvalidTlsMaterialException(
          "tls.key does not belong to the first certificate of tls.crt; put the server's own"
              + " certificate first in tls.crt and its private key in tls.key");
    }
  }

  private static PEMParser parser(byte[] pem) {
    return new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)));
  }

  private static String kind(Object o) {
    return o.getClass().getSimpleName();
  }

  private static String block(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
