package dev.portico.dataplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import java.security.Provider;
import java.security.PublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * RSA and ECDSA keys verify through the native provider where its library is bundled (Linux x86-64,
 * the platform of the images and CI), and it refuses what the JDK's providers refuse.
 */
class SignatureProviderTest {
  static final RSAKey RSA = Tokens.rsa("rsa-1");
  static final ECKey EC = Tokens.ec("ec-1");

  @Test
  @EnabledOnOs(OS.LINUX)
  @EnabledIfSystemProperty(named = "os.arch", matches = "amd64|x86_64")
  void nativeProviderLoadsOnTheBundledPlatform() {
    assertThat(SignatureProvider.get()).isPresent();
    assertThat(SignatureProvider.name()).isEqualTo("AmazonCorrettoCryptoProvider");
  }

  @Test
  void rsaAndEcVerifiersUseTheProviderAndCheckSignatures() throws Exception {
    KeySet keys = KeySet.of(JWKSet.parse(Tokens.jwks(RSA, EC)).getKeys(), false);
    checks(keys, JWSAlgorithm.RS256, RSA);
    checks(keys, JWSAlgorithm.ES256, EC);
  }

  private static void checks(KeySet keys, JWSAlgorithm alg, JWK signingKey) throws Exception {
    KeySet.Key key = keys.candidates(alg, null).get(0);
    Provider used = key.verifier().getJCAContext().getProvider();
    assertThat(used).as(alg + " provider").isEqualTo(SignatureProvider.get().orElse(null));
    if (used != null) {
      // Converted once to the provider's own key, not on every verification.
      PublicKey verifying =
          key.verifier() instanceof RSASSAVerifier rsa
              ? rsa.getPublicKey()
              : ((ECDSAVerifier) key.verifier()).getPublicKey();
      assertThat(verifying.getClass().getName()).startsWith("com.amazon.corretto.crypto.provider");
    }

    String token = Tokens.sign(signingKey, Tokens.claims(0).build());
    assertThat(SignedJWT.parse(token).verify(key.verifier())).as(alg + " good").isTrue();

    String[] parts = token.split("\\.");
    byte[] sig = new Base64URL(parts[2]).decode();
    sig[sig.length / 2] ^= 1;
    String tampered = parts[0] + "." + parts[1] + "." + Base64URL.encode(sig);
    assertThat(SignedJWT.parse(tampered).verify(key.verifier())).as(alg + " tampered").isFalse();

    // The all-zero signature (CVE-2022-21449 for ECDSA on the JDK's side) is refused too.
    String zeros = parts[0] + "." + parts[1] + "." + Base64URL.encode(new byte[sig.length]);
    assertThat(SignedJWT.parse(zeros).verify(key.verifier())).as(alg + " zeros").isFalse();
  }
}
