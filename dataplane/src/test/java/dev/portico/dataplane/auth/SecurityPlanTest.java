package dev.portico.dataplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.snapshot.AuthConfig;
import dev.portico.snapshot.AuthSecretConfig;
import dev.portico.snapshot.AuthSecretConfig.ApiKeyEntry;
import dev.portico.snapshot.RuleConfig;
import dev.portico.snapshot.SecurityConfig;
import dev.portico.snapshot.SecurityConfig.AccessRuleConfig;
import dev.portico.snapshot.SecurityConfig.ApiKeyConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** API keys, access rules and outcomes of the security stage, without a server. */
class SecurityPlanTest {
  static Vertx vertx;
  static AuthServices services;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    services =
        AuthServices.of(
            vertx, uri -> io.vertx.core.Future.failedFuture("none"), System::currentTimeMillis);
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  static String sha256(String key) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
  }

  static SecurityPlan plan(SecurityConfig security, AuthSecretConfig... material) {
    RuleConfig rule =
        new RuleConfig(
            "ns/r/0", "ns/r", null, null, null, null, null, null, null, List.of(), security, null);
    return SecurityPlans.prepare(List.of(rule), new AuthConfig(null, List.of(material)), services)
        .get("ns/r/0");
  }

  static SecurityConfig apiKeys(
      boolean anonymous, List<AccessRuleConfig> deny, List<AccessRuleConfig> allow) {
    return new SecurityConfig(
        null,
        new ApiKeyConfig(List.of("apikeys:ns/keys"), "x-api-key", "api_key"),
        null,
        anonymous,
        false,
        deny,
        allow);
  }

  static AuthSecretConfig keys() throws Exception {
    return new AuthSecretConfig(
        "apikeys:ns/keys",
        null,
        List.of(
            new ApiKeyEntry(sha256("pk_live_0123456789abcdef"), "partner-a", List.of("ops")),
            new ApiKeyEntry(sha256("pk_live_fedcba9876543210"), "partner-b", List.of())),
        null);
  }

  static AuthOutcome check(SecurityPlan plan, String method, String address, String... headers) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    return plan.check(method, h, name -> null, address).result();
  }

  @Test
  void aKnownKeyNamesItsConsumerAndGroups() throws Exception {
    SecurityPlan plan = plan(apiKeys(false, List.of(), List.of()), keys());
    AuthOutcome ok = check(plan, "GET", "10.0.0.1", "X-API-Key", "pk_live_0123456789abcdef");
    assertThat(ok.admitted()).isTrue();
    assertThat(ok.identity().consumer()).isEqualTo("partner-a");
    assertThat(ok.identity().groups()).containsExactly("ops");
    AuthOutcome bad = check(plan, "GET", "10.0.0.1", "X-API-Key", "pk_live_0123456789abcdeX");
    assertThat(bad.status()).isEqualTo(401);
    assertThat(bad.challenge()).contains("ApiKey");
    AuthOutcome none = check(plan, "GET", "10.0.0.1");
    assertThat(none.status()).isEqualTo(401);
    assertThat(plan.stripHeaders()).contains("x-api-key", "x-portico-consumer");
    assertThat(plan.stripQuery()).containsExactly("api_key");
  }

  @Test
  void aKeyFromTheQueryCounts() throws Exception {
    SecurityPlan plan = plan(apiKeys(false, List.of(), List.of()), keys());
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    AuthOutcome ok =
        plan.check(
                "GET",
                h,
                name -> QueryStrings.value("a=1&api_key=pk_live_fedcba9876543210", name),
                "10.0.0.1")
            .result();
    assertThat(ok.identity().consumer()).isEqualTo("partner-b");
  }

  @Test
  void withoutItsSecretNoKeyPasses() throws Exception {
    SecurityPlan plan = plan(apiKeys(false, List.of(), List.of()));
    assertThat(check(plan, "GET", "10.0.0.1", "X-API-Key", "pk_live_0123456789abcdef").status())
        .isEqualTo(401);
  }

  @Test
  void denyComesBeforeAllowAndAnonymousCallersGet401() throws Exception {
    AccessRuleConfig office =
        new AccessRuleConfig(
            List.of(), List.of("10.1.0.0/16"), List.of(), List.of(), List.of(), null);
    AccessRuleConfig ops =
        new AccessRuleConfig(List.of(), List.of(), List.of(), List.of(), List.of("ops"), null);
    AccessRuleConfig reads =
        new AccessRuleConfig(List.of("GET"), List.of(), List.of(), List.of(), List.of(), null);
    SecurityPlan plan = plan(apiKeys(true, List.of(office), List.of(ops, reads)), keys());
    // Anonymous reads pass; anonymous writes are asked for credentials.
    assertThat(check(plan, "GET", "10.0.0.1").admitted()).isTrue();
    AuthOutcome anonymousWrite = check(plan, "POST", "10.0.0.1");
    assertThat(anonymousWrite.status()).isEqualTo(401);
    // partner-a is in ops: may write; partner-b is not: 403.
    assertThat(check(plan, "POST", "10.0.0.1", "X-API-Key", "pk_live_0123456789abcdef").admitted())
        .isTrue();
    assertThat(check(plan, "POST", "10.0.0.1", "X-API-Key", "pk_live_fedcba9876543210").status())
        .isEqualTo(403);
    // From the denied range nobody passes, not even ops.
    assertThat(check(plan, "GET", "10.1.2.3", "X-API-Key", "pk_live_0123456789abcdef").status())
        .isEqualTo(403);
    assertThat(check(plan, "GET", "::ffff:10.1.2.3").status()).isEqualTo(403);
    // A bad key is refused even where anonymous callers pass.
    assertThat(check(plan, "GET", "10.0.0.1", "X-API-Key", "nope-nope-nope-nope").status())
        .isEqualTo(401);
  }

  @Test
  void claimTests() {
    Map<String, Object> claims =
        Map.of(
            "scope",
            "orders.read profile",
            "groups",
            List.of("admin", "ops"),
            "sub",
            "alice",
            "n",
            42L);
    assertThat(Claims.test(claims.get("scope"), "contains", "profile")).isTrue();
    assertThat(Claims.test(claims.get("scope"), "contains", "orders")).isFalse();
    assertThat(Claims.test(claims.get("groups"), "includes", "ops")).isTrue();
    assertThat(Claims.test(claims.get("groups"), "includes", "dev")).isFalse();
    assertThat(Claims.test(claims.get("sub"), "equals", "alice")).isTrue();
    assertThat(Claims.test(claims.get("n"), "equals", "42")).isTrue();
    assertThat(Claims.test(null, "equals", "x")).isFalse();
    assertThat(Claims.headerValue("a\r\nx-injected: 1")).isNull();
    assertThat(Claims.headerValue(List.of("a", "b"))).isEqualTo("a,b");
  }

  @Test
  void addressRanges() {
    assertThat(AddressRange.of("10.0.0.0/8").contains(AddressRange.literal("10.200.1.1"))).isTrue();
    assertThat(AddressRange.of("10.0.0.0/8").contains(AddressRange.literal("11.0.0.1"))).isFalse();
    assertThat(AddressRange.of("2001:db8::/32").contains(AddressRange.literal("2001:db8::1")))
        .isTrue();
    assertThat(AddressRange.of("203.0.113.7/32").contains(AddressRange.literal("203.0.113.7")))
        .isTrue();
    assertThat(AddressRange.literal("example.com")).isNull();
    assertThat(AddressRange.of("0.0.0.0/0").contains(AddressRange.literal("1.2.3.4"))).isTrue();
  }

  @Test
  void queryStrings() {
    assertThat(QueryStrings.without("a=1&api_key=s3cret&b=2", java.util.Set.of("api_key")))
        .isEqualTo("a=1&b=2");
    assertThat(QueryStrings.without("api_key=s3cret", java.util.Set.of("api_key"))).isNull();
    assertThat(QueryStrings.without("api%5Fkey=s3cret&c", java.util.Set.of("api_key")))
        .isEqualTo("c");
  }
}
