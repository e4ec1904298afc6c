package dev.portico.dataplane.cors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portico.snapshot.CorsConfig;
import io.vertx.core.MultiMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Origin matching, preflight decisions and the CORS fields a rule's answers get. */
class CorsPolicyTest {
  static final CorsPolicy LISTED =
      CorsPolicy.of(
          new CorsConfig(
              List.of("https://app.example.com", "https://*.shop.example.com:8443", "null"),
              List.of("PUT", "DELETE"),
              List.of("content-type", "x-trace"),
              List.of("etag", "x-request-id"),
              true,
              600));

  static final CorsPolicy ANY =
      CorsPolicy.of(new CorsConfig(List.of("*"), List.of("*"), List.of("*"), List.of(), false, 5));

  static boolean allows(CorsPolicy policy, String origin) {
    return policy.response(origin).allowOrigin() != null;
  }

  @Test
  void exactOriginsCompareSchemeAndHostCaseInsensitivelyWithDefaultPortsNormalized() {
    assertThat(allows(LISTED, "https://app.example.com")).isTrue();
    assertThat(allows(LISTED, "HTTPS://APP.Example.com")).isTrue();
    assertThat(allows(LISTED, "https://app.example.com:443")).isTrue();
    assertThat(allows(LISTED, "http://app.example.com")).isFalse();
    assertThat(allows(LISTED, "https://app.example.com:8443")).isFalse();
    assertThat(allows(LISTED, "https://app.example.com.evil.com")).isFalse();
    assertThat(allows(LISTED, "https://app.example.com/")).isFalse();
    assertThat(allows(LISTED, "https://evilapp.example.com")).isFalse();
    assertThat(allows(LISTED, "")).isFalse();
    assertThat(allows(LISTED, null)).isFalse();
  }

  @Test
  void wildcardsMatchAnySubdomainOnTheirSchemeAndPortButNotTheDomainItself() {
    assertThat(allows(LISTED, "https://a.shop.example.com:8443")).isTrue();
    assertThat(allows(LISTED, "https://a.b.shop.example.com:8443")).isTrue();
    assertThat(allows(LISTED, "https://A.Shop.Example.com:8443")).isTrue();
    assertThat(allows(LISTED, "https://shop.example.com:8443")).isFalse();
    assertThat(allows(LISTED, "https://a.shop.example.com")).isFalse();
    assertThat(allows(LISTED, "http://a.shop.example.com:8443")).isFalse();
    assertThat(allows(LISTED, "https://a.shop.example.com.evil.com:8443")).isFalse();
    assertThat(allows(LISTED, "https://ashop.example.com:8443")).isFalse();
  }

  @Test
  void theNullOriginPassesOnlyWhenListed() {
    assertThat(allows(LISTED, "null")).isTrue();
    assertThat(allows(ANY, "null")).isFalse();
    assertThat(allows(ANY, "https://anything.example")).isTrue();
  }

  @Test
  void actualRequestsGetTheOriginEchoedWithCredentialsAndExposedHeaders() {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    LISTED.response("https://app.example.com").writeTo(h);
    assertThat(h.get("access-control-allow-origin")).isEqualTo("https://app.example.com");
    assertThat(h.get("access-control-allow-credentials")).isEqualTo("true");
    assertThat(h.get("access-control-expose-headers")).isEqualTo("etag, x-request-id");
    assertThat(h.get("vary")).isEqualTo("Origin");
    assertThat(h.names()).hasSize(4);
  }

  @Test
  void aWildcardWithoutCredentialsAnswersStar() {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    ANY.response("https://anything.example").writeTo(h);
    assertThat(h.get("access-control-allow-origin")).isEqualTo("*");
    assertThat(h.contains("access-control-allow-credentials")).isFalse();
    assertThat(h.contains("access-control-expose-headers")).isFalse();
  }

  @Test
  void noOriginOrAForeignOneGetsVaryOnly() {
    for (String origin : new String[] {null, "https://evil.example"}) {
      MultiMap h = MultiMap.caseInsensitiveMultiMap();
      LISTED.response(origin).writeTo(h);
      assertThat(h.names()).containsExactly("vary");
      assertThat(h.get("vary")).isEqualTo("Origin");
    }
  }

  @Test
  void anAllowedPreflightGetsEveryField() {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    String refused =
        LISTED.preflight("https://app.example.com", "PUT", List.of("Content-Type, X-Trace"), out);
    assertThat(refused).isNull();
    assertThat(out.get("access-control-allow-origin")).isEqualTo("https://app.example.com");
    assertThat(out.get("access-control-allow-credentials")).isEqualTo("true");
    assertThat(out.get("access-control-allow-methods")).isEqualTo("PUT, DELETE");
    assertThat(out.get("access-control-allow-headers")).isEqualTo("content-type, x-trace");
    assertThat(out.get("access-control-max-age")).isEqualTo("600");
    assertThat(out.get("vary"))
        .isEqualTo("Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
  }

  @Test
  void safelistedMethodsAlwaysPassAndNoHeadersAskedMeansNoAllowHeaders() {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    assertThat(LISTED.preflight("https://app.example.com", "GET", List.of(), out)).isNull();
    assertThat(out.contains("access-control-allow-headers")).isFalse();
    assertThat(LISTED.preflight("https://app.example.com", "POST", List.of(" , ", "x-trace"), out))
        .isNull();
    assertThat(out.get("access-control-allow-headers")).isEqualTo("x-trace");
  }

  @Test
  void wildcardsAnswerWithWhatWasAskedForSoAuthorizationIsCoveredToo() {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    assertThat(ANY.preflight("https://x.example", "PATCH", List.of("authorization,x-a"), out))
        .isNull();
    assertThat(out.get("access-control-allow-origin")).isEqualTo("*");
    assertThat(out.get("access-control-allow-methods")).isEqualTo("PATCH");
    assertThat(out.get("access-control-allow-headers")).isEqualTo("authorization, x-a");
    assertThat(out.contains("access-control-allow-credentials")).isFalse();
    assertThat(out.get("access-control-max-age")).isEqualTo("5");
  }

  @Test
  void refusalsSayWhichPartIsNotAllowedAndWriteNothing() {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    assertThat(LISTED.preflight("https://evil.example", "PUT", List.of(), out))
        .contains("origin is not allowed");
    assertThat(LISTED.preflight("https://app.example.com", "PATCH", List.of(), out))
        .contains("method PATCH is not allowed");
    assertThat(LISTED.preflight("https://app.example.com", "put", List.of(), out))
        .as("methods are case-sensitive")
        .contains("method put is not allowed");
    assertThat(LISTED.preflight("https://app.example.com", "PUT", List.of("x-trace, x-other"), out))
        .contains("request header x-other is not allowed");
    assertThat(LISTED.preflight("https://app.example.com", "P T", List.of(), out))
        .isEqualTo("the method is not allowed by the route's CORS filter (allowMethods)");
    assertThat(LISTED.preflight("https://app.example.com", "PUT", List.of("x\"y"), out))
        .as("junk is not echoed")
        .isEqualTo("the request header is not allowed by the route's CORS filter (allowHeaders)");
    assertThat(ANY.preflight("https://x.example", "PUT", List.of("bad header"), out))
        .contains("request header is not allowed");
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void aSnapshotWithAMalformedOriginIsRefused() {
    CorsConfig bad =
        new CorsConfig(
            List.of("https://app.example.com/"), List.of(), List.of(), List.of(), false, 5);
    assertThatThrownBy(() -> CorsPolicy.of(bad)).isInstanceOf(IllegalArgumentException.class);
  }
}
