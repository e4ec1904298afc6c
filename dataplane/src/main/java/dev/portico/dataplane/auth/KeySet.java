package dev.portico.dataplane.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Verification keys of one issuer, each with its verifier built once. A key is offered for a token
 * only when its type (and curve, and size for HMAC) fits the token's algorithm, so an RSA public
 * key is never used as an HMAC secret (the classic key-type confusion).
 */
final class KeySet {
  /** A key and its verifier. */
  record Key(JWK jwk, JWSVerifier verifier) {}

  static final KeySet EMPTY = new KeySet(List.of());

  private final List<Key> keys;

  private KeySet(List<Key> keys) {
    this.keys = keys;
  }

  /**
   * @param allowSymmetric whether {@code oct} keys may be used: only for keys from a Secret
   */
  static KeySet of(List<JWK> jwks, boolean allowSymmetric) {
    List<Key> keys = new ArrayList<>();
    for (JWK jwk : jwks) {
      if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
        continue;
      }
      JWSVerifier verifier = verifier(jwk, allowSymmetric);
      if (verifier != null) {
        keys.add(new Key(jwk, verifier));
      }
    }
    return new KeySet(List.copyOf(keys));
  }

  boolean isEmpty() {
    return keys.isEmpty();
  }

  /** Whether some key carries this key id. */
  boolean hasKid(String kid) {
    return keys.stream().anyMatch(k -> kid.equals(k.jwk().getKeyID()));
  }

  /** Keys that may verify a token with this algorithm and key id (null: any key id). */
  List<Key> candidates(JWSAlgorithm alg, String kid) {
    List<Key> out = new ArrayList<>(2);
    for (Key k : keys) {
      if (kid != null && !kid.equals(k.jwk().getKeyID())) {
        continue;
      }
      if (fits(k.jwk(), alg)) {
        out.add(k);
      }
    }
    return out;
  }

  static boolean fits(JWK key, JWSAlgorithm alg) {
    if (key.getAlgorithm() != null
        && !Objects.equals(key.getAlgorithm().getName(), alg.getName())) {
      return false;
    }
    KeyType type = key.getKeyType();
    if (JWSAlgorithm.Family.RSA.contains(alg)) {
      return KeyType.RSA.equals(type);
    }
    if (JWSAlgorithm.Family.EC.contains(alg)) {
      return KeyType.EC.equals(type)
          && Curve.forJWSAlgorithm(alg).contains(key.toECKey().getCurve());
    }
    if (JWSAlgorithm.EdDSA.equals(alg)) {
      return KeyType.OKP.equals(type) && Curve.Ed25519.equals(key.toOctetKeyPair().getCurve());
    }
    if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
      int bits = Integer.parseInt(alg.getName().substring(2));
      return KeyType.OCT.equals(type) && ((OctetSequenceKey) key).toByteArray().length * 8 >= bits;
    }
    return false;
  }

  private static JWSVerifier verifier(JWK jwk, boolean allowSymmetric) {
    try {
      if (KeyType.RSA.equals(jwk.getKeyType())) {
        return withSignatureProvider(
            new RSASSAVerifier(SignatureProvider.translate(jwk.toRSAKey().toRSAPublicKey())));
      }
      if (KeyType.EC.equals(jwk.getKeyType())) {
        return withSignatureProvider(
            new ECDSAVerifier(SignatureProvider.translate(jwk.toECKey().toECPublicKey())));
      }
      if (KeyType.OKP.equals(jwk.getKeyType())
          && Curve.Ed25519.equals(jwk.toOctetKeyPair().getCurve())) {
        return new Ed25519JdkVerifier(jwk.toOctetKeyPair());
      }
      if (KeyType.OCT.equals(jwk.getKeyType()) && allowSymmetric) {
        byte[] secret = ((OctetSequenceKey) jwk).toByteArray();
        return secret.length >= 32 ? new MACVerifier(secret) : null;
      }
    } catch (JOSEException | RuntimeException e) {
      return null; // an unusable key (bad curve point, too short) is left out
    }
    return null;
  }

  private static JWSVerifier withSignatureProvider(JWSVerifier verifier) {
    SignatureProvider.get().ifPresent(p -> verifier.getJCAContext().setProvider(p));
    return verifier;
  }
}
