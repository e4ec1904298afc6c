package dev.portico.bench;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portico.dataplane.auth.AuthOutcome;
import dev.portico.dataplane.auth.AuthServices;
import dev.portico.dataplane.auth.SecurityPlan;
import dev.portico.dataplane.auth.SecurityPlans;
import dev.portico.snapshot.AuthConfig;
import dev.portico.snapshot.AuthSecretConfig;
import dev.portico.snapshot.RuleConfig;
import dev.portico.snapshot.SecurityConfig;
import dev.portico.snapshot.SecurityConfig.JwtConfig;
import dev.portico.snapshot.SecurityConfig.JwtIssuerConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-token cost of RS256 JWT validation on one core, with a different token every call (no
 * cache could help): Nimbus's parse and signature check alone, and the data plane's whole security
 * stage (parse, header checks, key selection, signature, claims, identity). Target: at most 30 µs.
 * Run with {@code bench/jwt.sh}, never as a test.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class JwtVerifyBenchmark {
  private static final int TOKENS = 4096;
  private static final String ISSUER = "https://idp.example.com/";

  private String[] tokens;
  private MultiMap[] headers;
  private int next;
  private RSASSAVerifier verifier;
  private SecurityPlan plan;
  private Vertx vertx;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
    RSASSASigner signer = new RSASSASigner(key);
    long now = System.currentTimeMillis();
    tokens = new String[TOKENS];
    headers = new MultiMap[TOKENS];
    for (int i = 0; i < TOKENS; i++) {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
              new JWTClaimsSet.Builder()
                  .issuer(ISSUER)
                  .subject("user-" + i)
                  .audience("shop")
                  .jwtID(UUID.randomUUID().toString())
                  .issueTime(new Date(now))
                  .expirationTime(new Date(now + 3_600_000))
                  .claim("scope", "orders.read profile")
                  .build());
      jwt.sign(signer);
      tokens[i] = jwt.serialize();
      headers[i] = MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer " + tokens[i]);
    }
    verifier = new RSASSAVerifier(key.toRSAPublicKey());
    vertx = Vertx.vertx();
    SecurityConfig security =
        new SecurityConfig(
            new JwtConfig(
                List.of(
                    new JwtIssuerConfig(
                        ISSUER,
                        List.of("shop"),
                        null,
                        "jwks:bench/keys/jwks.json",
                        List.of("RS256"),
                        30_000,
                        0,
                        0,
                        List.of())),
                "authorization",
                null),
            null,
            null,
            false,
            false,
            List.of(),
            List.of());
    RuleConfig rule =
        new RuleConfig(
            "bench/r/0",
            "bench/r",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            List.of(),
            security,
            null);
    AuthConfig auth =
        new AuthConfig(
            null,
            List.of(
                new AuthSecretConfig(
                    "jwks:bench/keys/jwks.json",
                    new JWKSet(key).toPublicJWKSet().toString(),
                    null,
                    null)));
    plan = SecurityPlans.prepare(List.of(rule), auth, AuthServices.of(vertx)).get("bench/r/0");
    AuthOutcome check = plan.check("GET", headers[0], n -> null, "10.0.0.1").result();
    if (!check.admitted()) {
      throw new IllegalStateException("the benchmark's token is refused: " + check);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    vertx.close();
  }

  private int nextIndex() {
    int i = next;
    next = (i + 1) & (TOKENS - 1);
    return i;
  }

  /** Nimbus alone: parse the compact JWS and check its RS256 signature. */
  @Benchmark
  public boolean nimbusParseAndVerify() throws Exception {
    return SignedJWT.parse(tokens[nextIndex()]).verify(verifier);
  }

  /** The data plane's security stage for one request with a fresh token. */
  @Benchmark
  public Object gatewaySecurityStage() {
    Future<AuthOutcome> f = plan.check("GET", headers[nextIndex()], n -> null, "10.0.0.1");
    return f.result();
  }
}
