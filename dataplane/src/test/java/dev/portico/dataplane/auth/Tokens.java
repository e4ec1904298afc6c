package dev.portico.dataplane.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;

/** Test keys and tokens. */
public final class Tokens {
  public static final String ISSUER = "https://idp.example.com/";

  private Tokens() {}

  public static RSAKey rsa(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static ECKey ec(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public JWK Set of these keys, as JSON. */
  public static String jwks(JWK... keys) {
    return new JWKSet(List.of(keys)).toPublicJWKSet().toString();
  }

  /** Claims valid for ten minutes from {@code now}, for {@link #ISSUER} and audience "shop". */
  public static JWTClaimsSet.Builder claims(long now) {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject("alice")
        .audience("shop")
        .issueTime(new Date(now))
        .expirationTime(new Date(now + 600_000))
        .claim("scope", "orders.read profile")
        .claim("email", "alice@example.com");
  }

  public static String sign(JWK key, JWTClaimsSet claims) {
    return sign(key, claims, h -> h);
  }

  public static String sign(JWK key, JWTClaimsSet claims, UnaryOperator<JWSHeader.Builder> edit) {
    try {
      JWSAlgorithm alg;
      JWSSigner signer;
      if (key instanceof RSAKey r) {
        alg = JWSAlgorithm.RS256;
        signer = new RSASSASigner(r);
      } else if (key instanceof ECKey e) {
        alg = JWSAlgorithm.ES256;
        signer = new ECDSASigner(e);
      } else {
        alg = JWSAlgorithm.HS256;
        signer = new MACSigner(key.toOctetSequenceKey());
      }
      JWSHeader.Builder header =
          new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT);
      SignedJWT jwt = new SignedJWT(edit.apply(header).build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
