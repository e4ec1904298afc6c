package dev.portico.dataplane.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portico.snapshot.SecurityConfig.ClaimHeaderConfig;
import dev.portico.snapshot.SecurityConfig.JwtIssuerConfig;
import io.vertx.core.Future;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Verifies JWS-signed JWTs against the issuers a rule trusts. Refused: anything but a compact JWS
 * (unsecured {@code alg: none} tokens and JWEs do not parse), an algorithm outside the issuer's
 * allow list, keys or key locations embedded in the header ({@code jwk}, {@code jku}, {@code x5u},
 * {@code x5c}) and critical headers, a key whose type does not fit the algorithm, a bad signature,
 * an expired or not yet valid token (with the issuer's leeway), another issuer or audience. The
 * caller learns only that the token is invalid.
 */
final class JwtAuthenticator {
  /** Longer tokens are refused before parsing. */
  static final int MAX_TOKEN_LENGTH = 16 * 1024;

  /** One trusted issuer, prepared. */
  record Issuer(
      JwtIssuerConfig config,
      Set<JWSAlgorithm> algorithms,
      Set<String> audiences,
      JwksSource keys) {}

  private final Map<String, Issuer> issuers;
  private final LongSupplier clock;

  JwtAuthenticator(List<Issuer> issuers, LongSupplier clock) {
    Map<String, Issuer> byName = new HashMap<>();
    issuers.forEach(i -> byName.put(i.config().issuer(), i));
    this.issuers = byName;
    this.clock = clock;
  }

  static Issuer issuer(JwtIssuerConfig config, JwksSource keys) {
    Set<JWSAlgorithm> algorithms = new HashSet<>();
    config.algorithms().forEach(a -> algorithms.add(JWSAlgorithm.parse(a)));
    return new Issuer(config, Set.copyOf(algorithms), Set.copyOf(config.audiences()), keys);
  }

  /** The identity the token proves; fails with {@link InvalidCredentialException} otherwise. */
  Future<Identity> verify(String token) {
    SignedJWT jwt;
    JWTClaimsSet claims;
    Issuer issuer;
    try {
      if (token.length() > MAX_TOKEN_LENGTH) {
        throw new InvalidCredentialException("token too long");
      }
      jwt = SignedJWT.parse(token);
      JWSHeader header = jwt.getHeader();
      if (!headerAcceptable(header)) {
        throw new InvalidCredentialException("embedded key, key URL or critical header");
      }
      claims = jwt.getJWTClaimsSet();
      issuer = claims.getIssuer() == null ? null : issuers.get(claims.getIssuer());
      if (issuer == null) {
        throw new InvalidCredentialException("unknown issuer");
      }
      if (!issuer.algorithms().contains(header.getAlgorithm())) {
        throw new InvalidCredentialException("algorithm not allowed");
      }
    } catch (ParseException e) {
      return Future.failedFuture(new InvalidCredentialException("not a JWS JWT"));
    } catch (InvalidCredentialException e) {
      return Future.failedFuture(e);
    }
    String kid = jwt.getHeader().getKeyID();
    Issuer trusted = issuer;
    return issuer
        .keys()
        .keys()
        .recover(e -> Future.failedFuture(new KeysUnavailableException(e.getMessage())))
        .compose(
            keys -> {
              if (kid != null && !keys.hasKid(kid)) {
                return trusted.keys().unknownKid(keys).otherwiseEmpty();
              }
              return Future.succeededFuture(keys);
            })
        .compose(keys -> check(jwt, claims, trusted, keys == null ? KeySet.EMPTY : keys, kid));
  }

  private Future<Identity> check(
      SignedJWT jwt, JWTClaimsSet claims, Issuer issuer, KeySet keys, String kid) {
    try {
      if (!verified(jwt, keys, kid)) {
        throw new InvalidCredentialException("signature");
      }
      checkClaims(claims, issuer);
    } catch (InvalidCredentialException e) {
      return Future.failedFuture(e);
    }
    Map<String, Object> all = claims.getClaims();
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (ClaimHeaderConfig h : issuer.config().claimHeaders()) {
      String value = Claims.headerValue(all.get(h.claim()));
      if (value != null) {
        headers.add(Map.entry(h.header(), value));
      }
    }
    return Future.succeededFuture(
        new Identity("jwt", claims.getSubject(), null, List.of(), all, List.copyOf(headers)));
  }

  /**
   * No key or key location chosen by the token ({@code jwk}, {@code jku}, {@code x5u}, {@code
   * x5c}), and no critical header: none is understood here.
   */
  static boolean headerAcceptable(JWSHeader header) {
    return header.getJWK() == null
        && header.getJWKURL() == null
        && header.getX509CertURL() == null
        && header.getX509CertChain() == null
        && (header.getCriticalParams() == null || header.getCriticalParams().isEmpty());
  }

  /** Whether a key that fits the token's algorithm (and key id, if it names one) verifies it. */
  static boolean verified(JWSObject jws, KeySet keys, String kid) {
    try {
      for (KeySet.Key key : keys.candidates(jws.getHeader().getAlgorithm(), kid)) {
        if (jws.verify(key.verifier())) {
          return true;
        }
      }
    } catch (JOSEException | IllegalStateException e) {
      return false;
    }
    return false;
  }

  /**
   * The signature checks alone, for any compact JWS (the Wycheproof vectors' payloads are not JWT
   * claims): parse, header, algorithm allow list, key choice, signature.
   */
  static boolean signatureValid(String compact, Set<JWSAlgorithm> allowed, KeySet keys) {
    try {
      JWSObject jws = JWSObject.parse(compact);
      return headerAcceptable(jws.getHeader())
          && allowed.contains(jws.getHeader().getAlgorithm())
          && verified(jws, keys, jws.getHeader().getKeyID());
    } catch (ParseException e) {
      return false;
    }
  }

  private void checkClaims(JWTClaimsSet claims, Issuer issuer) throws InvalidCredentialException {
    long now = clock.getAsLong();
    long skew = issuer.config().clockSkewMillis();
    Date exp = claims.getExpirationTime();
    if (exp == null || now > exp.getTime() + skew) {
      throw new InvalidCredentialException("expired");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now < nbf.getTime() - skew) {
      throw new InvalidCredentialException("not yet valid");
    }
    Date iat = claims.getIssueTime();
    if (iat != null && now < iat.getTime() - skew) {
      throw new InvalidCredentialException("issued in the future");
    }
    if (!issuer.audiences().isEmpty()) {
      List<String> aud = claims.getAudience();
      if (aud == null || aud.stream().noneMatch(issuer.audiences()::contains)) {
        throw new InvalidCredentialException("audience");
      }
    }
  }
}
