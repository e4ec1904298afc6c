package dev.portico.bench;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
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
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
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
 * The per-token cost of JWT validation on one core, with a different token every call (no cache
 * could help): Nimbus's parse and signature check alone, RS256 and ES256, with the JDK's providers
 * and with the native one the data plane uses (Amazon Corretto Crypto Provider), and the data
 * plane's whole security stage for RS256 (parse, header checks, key selection, signature, claims,
 * identity). Target: at most 30 µs for RS256. Run with {@code bench/jwt.sh}, never as a test.
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
  private String[] ecTokens;
  private MultiMap[] headers;
  private int next;
  private RSASSAVerifier jdkVerifier;
  private RSASSAVerifier nativeVerifier;
  private ECDSAVerifier jdkEcVerifier;
  private ECDSAVerifier nativeEcVerifier;
  private SecurityPlan plan;
  private Vertx vertx;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
    ECKey ecKey = new ECKeyGenerator(Curve.P_256).keyID("e1").generate();
    RSASSASigner signer = new RSASSASigner(key);
    ECDSASigner ecSigner = new ECDSASigner(ecKey);
    long now = System.currentTimeMillis();
    tokens = new String[TOKENS];
    ecTokens = new String[TOKENS];
    headers = new MultiMap[TOKENS];
    for (int i = 0; i < TOKENS; i++) {
      tokens[i] = token(JWSAlgorithm.RS256, "k1", signer, i, now);
      ecTokens[i] = token(JWSAlgorithm.ES256, "e1", ecSigner, i, now);
      headers[i] = MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer " + tokens[i]);
    }
    AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
    accp.assertHealthy();
    jdkVerifier = new RSASSAVerifier(key.toRSAPublicKey());
    // The native provider's own key objects, made once, as the data plane's KeySet does.
    nativeVerifier =
        new RSASSAVerifier(
            (RSAPublicKey) KeyFactory.getInstance("RSA", accp).translateKey(key.toRSAPublicKey()));
    nativeVerifier.getJCAContext().setProvider(accp);
    jdkEcVerifier = new ECDSAVerifier(ecKey.toECPublicKey());
    nativeEcVerifier =
        new ECDSAVerifier(
            (ECPublicKey) KeyFactory.getInstance("EC", accp).translateKey(ecKey.toECPublicKey()));
    nativeEcVerifier.getJCAContext().setProvider(accp);
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

  private static String token(JWSAlgorithm alg, String kid, JWSSigner signer, int i, long now)
      throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(alg).keyID(kid).build(),
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
    return jwt.serialize();
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

  /** Nimbus alone: parse the compact JWS and check its RS256 signature, JDK provider. */
  @Benchmark
  public boolean rs256NimbusJdkProvider() throws Exception {
    return SignedJWT.parse(tokens[nextIndex()]).verify(jdkVerifier);
  }

  /** The same with the native provider the data plane uses. */
  @Benchmark
  public boolean rs256NimbusNativeProvider() throws Exception {
    return SignedJWT.parse(tokens[nextIndex()]).verify(nativeVerifier);
  }

  /** ES256 (P-256), JDK provider. */
  @Benchmark
  public boolean es256NimbusJdkProvider() throws Exception {
    return SignedJWT.parse(ecTokens[nextIndex()]).verify(jdkEcVerifier);
  }

  /** ES256 (P-256), native provider. */
  @Benchmark
  public boolean es256NimbusNativeProvider() throws Exception {
    return SignedJWT.parse(ecTokens[nextIndex()]).verify(nativeEcVerifier);
  }

  /** The data plane's security stage (native provider) for one request with a fresh RS256 token. */
  @Benchmark
  public Object gatewaySecurityStage() {
    Future<AuthOutcome> f = plan.check("GET", headers[nextIndex()], n -> null, "10.0.0.1");
    return f.result();
  }
}
