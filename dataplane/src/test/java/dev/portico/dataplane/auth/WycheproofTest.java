package dev.portico.dataplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Project Wycheproof's vectors (a subset, see src/test/resources/wycheproof/README.md) through the
 * data plane's own verification path: the JWS vectors through the header checks, the algorithm
 * allow list and the key choice of {@link JwtAuthenticator#signatureValid}; the ECDSA P-256 vectors
 * through the verifier {@link KeySet} builds for an EC key.
 */
class WycheproofTest {
  static JsonObject load(String name) throws IOException {
    try (InputStream in = WycheproofTest.class.getResourceAsStream("/wycheproof/" + name)) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void jsonWebSignatureVectors() throws Exception {
    JsonObject file = load("json_web_signature_test.json");
    int checked = 0;
    for (Object g : file.getJsonArray("testGroups")) {
      JsonObject group = (JsonObject) g;
      JWK key = JWK.parse(group.getJsonObject("key").encode());
      KeySet keys = KeySet.of(List.of(key), true);
      Set<JWSAlgorithm> allowed = Set.of(JWSAlgorithm.parse(key.getAlgorithm().getName()));
      for (Object t : group.getJsonArray("tests")) {
        JsonObject test = (JsonObject) t;
        boolean valid = JwtAuthenticator.signatureValid(test.getString("jws"), allowed, keys);
        assertThat(valid)
            .as("tcId %d %s", test.getInteger("tcId"), test.getString("comment"))
            .isEqualTo("valid".equals(test.getString("result")));
        checked++;
      }
    }
    assertThat(checked).isEqualTo(32);
  }

  @Test
  void ecdsaP256Sha256Vectors() throws Exception {
    JsonObject file = load("ecdsa_secp256r1_sha256_p1363_test.json");
    JsonObject pk = file.getJsonObject("publicKey");
    ECKey jwk =
        new ECKey.Builder(
                Curve.P_256,
                Base64URL.encode(unsigned(pk.getString("wx"))),
                Base64URL.encode(unsigned(pk.getString("wy"))))
            .build();
    KeySet keys = KeySet.of(List.of(jwk), false);
    var verifier = keys.candidates(JWSAlgorithm.ES256, null).get(0).verifier();
    JWSHeader header = new JWSHeader(JWSAlgorithm.ES256);
    JsonArray tests = file.getJsonArray("tests");
    for (Object t : tests) {
      JsonObject test = (JsonObject) t;
      byte[] msg = HexFormat.of().parseHex(test.getString("msg"));
      Base64URL sig = Base64URL.encode(HexFormat.of().parseHex(test.getString("sig")));
      boolean valid;
      try {
        valid = verifier.verify(header, msg, sig);
      } catch (Exception e) {
        valid = false;
      }
      assertThat(valid)
          .as("tcId %d %s", test.getInteger("tcId"), test.getString("comment"))
          .isEqualTo("valid".equals(test.getString("result")));
    }
    assertThat(tests).hasSize(25);
  }

  /** A big-endian hex coordinate as exactly 32 bytes. */
  private static byte[] unsigned(String hex) {
    byte[] raw = new BigInteger(hex, 16).toByteArray();
    byte[] out = new byte[32];
    int copy = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
    return out;
  }
}
