import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Writes jwks.json (a fresh RSA-2048 key's public half) and tokens.txt (N RS256 tokens, each with
 * its own jti and subject, valid for a day) into a folder, for bench/proxy.sh AUTH=1. Run with the
 * data plane's jar on the class path: {@code java -cp portico-dataplane.jar SignTokens.java DIR N}.
 */
public class SignTokens {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int n = Integer.parseInt(args[1]);
    RSAKey key = new RSAKeyGenerator(2048).keyID("bench").generate();
    RSASSASigner signer = new RSASSASigner(key);
    long now = System.currentTimeMillis();
    List<String> tokens = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("bench").build(),
              new JWTClaimsSet.Builder()
                  .issuer("https://idp.bench/")
                  .audience("bench")
                  .subject("user-" + i)
                  .jwtID(UUID.randomUUID().toString())
                  .issueTime(new Date(now))
                  .expirationTime(new Date(now + 86_400_000))
                  .build());
      jwt.sign(signer);
      tokens.add(jwt.serialize());
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("jwks.json"), new JWKSet(key).toPublicJWKSet().toString());
    Files.write(dir.resolve("tokens.txt"), tokens);
  }
}
