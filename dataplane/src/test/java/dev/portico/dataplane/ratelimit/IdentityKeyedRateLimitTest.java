package dev.portico.dataplane.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import dev.portico.dataplane.auth.Tokens;
import dev.portico.dataplane.server.GatewayHarness;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Rate limits keyed by who the security stage established the caller to be: the API-key consumer
 * and a verified JWT claim, never a header the client could change at will.
 */
class IdentityKeyedRateLimitTest {
  static final RSAKey KEY = Tokens.rsa("k1");
  static final String KEY_A = "pk_live_aaaaaaaaaaaaaaaa";
  static final String KEY_B = "pk_live_bbbbbbbbbbbbbbbb";

  static String secrets() {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: partners, namespace: default, labels: {portico.dev/credential: ""}}
        stringData:
          partner-a: %s
          partner-b: %s
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: idp, namespace: default, labels: {portico.dev/credential: ""}}
        stringData:
          jwks.json: '%s'
        """
        .formatted(KEY_A, KEY_B, Tokens.jwks(KEY));
  }

  static final String RULES =
      """
          - name: keys
            matches: [{path: {value: /keys}}]
            security:
              apiKey: {secretRefs: [{name: partners}]}
            filters:
              - type: DirectResponse
                directResponse: {statusCode: 200, body: keys}
          - name: tokens
            matches: [{path: {value: /tokens}}]
            security:
              jwt:
                issuers:
                  - issuer: https://idp.example.com/
                    audiences: [shop]
                    jwksSecretRef: {name: idp}
            filters:
              - type: DirectResponse
                directResponse: {statusCode: 200, body: tokens}
      """;

  static String policy(String rule, String limit) {
    return RateLimitEndToEndTest.policy(
        "p-" + rule, "{kind: GatewayRoute, name: r, ruleName: " + rule + "}", limit);
  }

  static String token(String tenant) {
    return "Bearer "
        + Tokens.sign(
            KEY, Tokens.claims(System.currentTimeMillis()).claim("tenant", tenant).build());
  }

  @Test
  void consumersAndClaimsCountSeparatelyAndCannotBeSpoofed() throws Exception {
    try (GatewayHarness h = new GatewayHarness()) {
      h.file("secrets.yaml", secrets());
      h.file(
          "policy-keys.yaml",
          policy(
              "keys",
              "    - {name: per-consumer, requests: 1, window: Hour, key: {type: Consumer}}\n"));
      h.file(
          "policy-tokens.yaml",
          policy(
              "tokens",
              "    - {name: per-tenant, requests: 1, window: Hour, key: {type: JwtClaim, claim:"
                  + " tenant}}\n"));
      h.serve(RULES);

      assertThat(h.get("/keys", "X-API-Key", KEY_A).statusCode()).isEqualTo(200);
      // A spoofed identity header buys no new counter: the key decides who the caller is.
      assertThat(h.get("/keys", "X-API-Key", KEY_A, "X-Portico-Consumer", "partner-b").statusCode())
          .isEqualTo(429);
      assertThat(h.get("/keys", "X-API-Key", KEY_B).statusCode()).isEqualTo(200);
      assertThat(h.get("/keys", "X-API-Key", KEY_B).statusCode()).isEqualTo(429);

      assertThat(h.get("/tokens", "Authorization", token("acme")).statusCode()).isEqualTo(200);
      // A fresh token of the same tenant shares the tenant's counter.
      HttpResponse<String> again = h.get("/tokens", "Authorization", token("acme"));
      assertThat(again.statusCode()).isEqualTo(429);
      assertThat(again.headers().firstValue("ratelimit-policy"))
          .hasValue("\"per-tenant\";q=1;w=3600");
      assertThat(h.get("/tokens", "Authorization", token("globex")).statusCode()).isEqualTo(200);
      // Unauthenticated callers are refused by the security stage before any counter is taken.
      assertThat(h.get("/tokens").statusCode()).isEqualTo(401);
      assertThat(h.get("/tokens", "Authorization", token("initech")).statusCode()).isEqualTo(200);
    }
  }
}
