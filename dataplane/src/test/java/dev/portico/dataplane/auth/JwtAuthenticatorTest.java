package dev.portico.dataplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.portico.snapshot.SecurityConfig.ClaimHeaderConfig;
import dev.portico.snapshot.SecurityConfig.JwtIssuerConfig;
import io.vertx.core.Future;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Every JWT attack class the issue names is refused; good tokens pass with their claims. */
class JwtAuthenticatorTest {
  static final RSAKey RSA = Tokens.rsa("rsa-1");
  static final ECKey EC = Tokens.ec("ec-1");
  final AtomicLong now = new AtomicLong(1_800_000_000_000L);

  JwtAuthenticator authenticator(List<String> algorithms, KeySet keys, long skewMillis) {
    JwtIssuerConfig config =
        new JwtIssuerConfig(
            Tokens.ISSUER,
            List.of("shop"),
            null,
            "jwks:ns/keys/jwks.json",
            algorithms,
            skewMillis,
            0,
            0,
            List.of(new ClaimHeaderConfig("email", "x-user-email")));
    return new JwtAuthenticator(
        List.of(JwtAuthenticator.issuer(config, JwksSource.fixed(keys))), now::get);
  }

  JwtAuthenticator standard() throws Exception {
    return authenticator(
        List.of("ES256", "RS256"),
        KeySet.of(JWKSet.parse(Tokens.jwks(RSA, EC)).getKeys(), true),
        30_000);
  }

  static Throwable refused(Future<Identity> f) {
    assertThat(f.failed()).as("refused").isTrue();
    assertThat(f.cause()).isInstanceOf(InvalidCredentialException.class);
    return f.cause();
  }

  @Test
  void validRs256AndEs256TokensPassWithTheirClaims() throws Exception {
    JwtAuthenticator a = standard();
    for (var key : List.of(RSA, EC)) {
      Future<Identity> f = a.verify(Tokens.sign(key, Tokens.claims(now.get()).build()));
      assertThat(f.succeeded()).isTrue();
      assertThat(f.result().subject()).isEqualTo("alice");
      assertThat(f.result().headers())
          .containsExactly(java.util.Map.entry("x-user-email", "alice@example.com"));
    }
  }

  @Test
  void algNoneIsRefused() throws Exception {
    String unsecured = new PlainJWT(Tokens.claims(now.get()).build()).serialize();
    refused(standard().verify(unsecured));
    // The same with a signature part glued on, and with "alg":"None".
    String header =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{\"alg\":\"None\"}".getBytes(StandardCharsets.UTF_8));
    String[] parts = Tokens.sign(RSA, Tokens.claims(now.get()).build()).split("\\.");
    refused(standard().verify(header + "." + parts[1] + "." + parts[2]));
    refused(standard().verify(header + "." + parts[1] + "."));
  }

  @Test
  void algorithmOutsideTheAllowListIsRefused() throws Exception {
    JwtAuthenticator rsOnly =
        authenticator(
            List.of("RS256"), KeySet.of(JWKSet.parse(Tokens.jwks(RSA, EC)).getKeys(), true), 0);
    refused(rsOnly.verify(Tokens.sign(EC, Tokens.claims(now.get()).build())));
  }

  @Test
  void hmacSignedWithThePublicKeyIsRefused() throws Exception {
    // Key-type confusion: the attacker signs HS256 with the RSA public key's bytes as the secret.
    byte[] publicBytes = RSA.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
    SignedJWT forged =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(),
            Tokens.claims(now.get()).build());
    forged.sign(new MACSigner(publicBytes));
    // Even an issuer that allowed HS256 has no oct key: an RSA key never serves as a MAC secret.
    JwtAuthenticator confused =
        authenticator(
            List.of("HS256", "RS256"),
            KeySet.of(JWKSet.parse(Tokens.jwks(RSA)).getKeys(), true),
            0);
    refused(confused.verify(forged.serialize()));
    refused(standard().verify(forged.serialize()));
  }

  @Test
  void hmacWithASecretKeyFromASecretPasses() throws Exception {
    OctetSequenceKey oct =
        new OctetSequenceKey.Builder(new byte[32])
            .keyID("hs")
            .algorithm(JWSAlgorithm.HS256)
            .build();
    JwtAuthenticator hs = authenticator(List.of("HS256"), KeySet.of(List.of(oct), true), 0);
    assertThat(hs.verify(Tokens.sign(oct, Tokens.claims(now.get()).build())).succeeded()).isTrue();
    // From a URL, symmetric keys are never used.
    JwtAuthenticator fromUrl = authenticator(List.of("HS256"), KeySet.of(List.of(oct), false), 0);
    refused(fromUrl.verify(Tokens.sign(oct, Tokens.claims(now.get()).build())));
  }

  @Test
  void embeddedKeysAndKeyUrlsAreRefused() throws Exception {
    RSAKey attacker = Tokens.rsa("rsa-1");
    JwtAuthenticator a = standard();
    refused(
        a.verify(
            Tokens.sign(
                attacker, Tokens.claims(now.get()).build(), h -> h.jwk(attacker.toPublicJWK()))));
    refused(
        a.verify(
            Tokens.sign(
                RSA,
                Tokens.claims(now.get()).build(),
                h -> h.jwkURL(URI.create("https://evil.example/jwks")))));
    refused(
        a.verify(
            Tokens.sign(
                RSA,
                Tokens.claims(now.get()).build(),
                h -> h.x509CertURL(URI.create("https://evil.example/cert")))));
    refused(
        a.verify(
            Tokens.sign(
                RSA,
                Tokens.claims(now.get()).build(),
                h -> h.x509CertChain(List.of(com.nimbusds.jose.util.Base64.encode(new byte[8]))))));
  }

  @Test
  void criticalHeadersAreRefused() throws Exception {
    refused(
        standard()
            .verify(
                Tokens.sign(
                    RSA,
                    Tokens.claims(now.get()).build(),
                    h -> h.criticalParams(java.util.Set.of("exp")).customParam("exp", 1))));
  }

  @Test
  void aForeignKeyOrATamperedPayloadIsRefused() throws Exception {
    refused(standard().verify(Tokens.sign(Tokens.rsa("rsa-1"), Tokens.claims(now.get()).build())));
    String[] parts = Tokens.sign(RSA, Tokens.claims(now.get()).build()).split("\\.");
    String admin =
        Base64URL.encode(Tokens.claims(now.get()).subject("admin").build().toString()).toString();
    refused(standard().verify(parts[0] + "." + admin + "." + parts[2]));
  }

  @Test
  void theAllZeroEcdsaSignatureIsRefused() throws Exception {
    // CVE-2022-21449 ("psychic signatures"): r = s = 0 must never verify.
    String[] parts = Tokens.sign(EC, Tokens.claims(now.get()).build()).split("\\.");
    String zero = Base64URL.encode(new byte[64]).toString();
    refused(standard().verify(parts[0] + "." + parts[1] + "." + zero));
  }

  @Test
  void issuerAudienceAndTimesAreChecked() throws Exception {
    JwtAuthenticator a = standard();
    long t = now.get();
    refused(a.verify(Tokens.sign(RSA, Tokens.claims(t).issuer("https://other/").build())));
    refused(a.verify(Tokens.sign(RSA, Tokens.claims(t).audience("other").build())));
    assertThat(
            a.verify(Tokens.sign(RSA, Tokens.claims(t).audience(List.of("x", "shop")).build()))
                .succeeded())
        .isTrue();
    refused(
        a.verify(
            Tokens.sign(RSA, Tokens.claims(t).expirationTime(null).build()))); // exp is required
    refused(
        a.verify(Tokens.sign(RSA, Tokens.claims(t).expirationTime(new Date(t - 31_000)).build())));
    refused(
        a.verify(Tokens.sign(RSA, Tokens.claims(t).notBeforeTime(new Date(t + 31_000)).build())));
    refused(a.verify(Tokens.sign(RSA, Tokens.claims(t).issueTime(new Date(t + 31_000)).build())));
  }

  @Test
  void clockSkewWithinTheLeewayIsTolerated() throws Exception {
    JwtAuthenticator a = standard(); // 30 s leeway
    long t = now.get();
    assertThat(
            a.verify(
                    Tokens.sign(RSA, Tokens.claims(t).expirationTime(new Date(t - 29_000)).build()))
                .succeeded())
        .isTrue();
    assertThat(
            a.verify(Tokens.sign(RSA, Tokens.claims(t).notBeforeTime(new Date(t + 29_000)).build()))
                .succeeded())
        .isTrue();
    JwtAuthenticator strict =
        authenticator(
            List.of("RS256"), KeySet.of(JWKSet.parse(Tokens.jwks(RSA)).getKeys(), true), 0);
    refused(
        strict.verify(
            Tokens.sign(RSA, Tokens.claims(t).expirationTime(new Date(t - 1_000)).build())));
  }

  @Test
  void garbageIsRefusedWithoutThrowing() throws Exception {
    JwtAuthenticator a = standard();
    for (String junk : List.of("", "a.b.c", "....", "x".repeat(20_000), "eyJ.eyJ.", "a.b")) {
      refused(a.verify(junk));
    }
  }
}
