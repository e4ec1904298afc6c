package dev.portico.dataplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import dev.portico.dataplane.auth.Tokens;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Authentication and authorization through a real listener on loopback, standalone mode: JWT from a
 * Secret's JWK Set, API keys (header and query), Basic, anonymous paths, identity headers the
 * client cannot spoof, 401/403 problem documents, path tricks, and rotation by editing a Secret.
 */
class AuthEndToEndTest {
  static final RSAKey KEY = Tokens.rsa("k1");
  static final String PARTNER_KEY = "pk_live_0123456789abcdef";
  static final String OTHER_KEY = "pk_live_fedcba9876543210";
  static GatewayHarness h;
  static TestBackend backend;

  static String secrets(String jwks, String apiKeys) {
    String htpasswd =
        "alice:" + OpenBSDBCrypt.generate("2y", "wonderland".toCharArray(), new byte[16], 4);
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: idp, namespace: default, labels: {portico.dev/credential: ""}}
        stringData:
          jwks.json: '%s'
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: partners, namespace: default, labels: {portico.dev/credential: ""}}
        stringData:
        %s
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: staff, namespace: default, labels: {portico.dev/credential: ""}}
        stringData:
          htpasswd: '%s'
        """
        .formatted(jwks, apiKeys, htpasswd);
  }

  static final String KEYS =
      "  partner-a: " + PARTNER_KEY + "\n  partner-a.groups: ops\n  partner-b: " + OTHER_KEY;

  static final String JWT =
      """
      jwt:
        issuers:
          - issuer: https://idp.example.com/
            audiences: [shop]
            jwksSecretRef: {name: idp}
            claimHeaders: [{claim: email, header: X-User-Email}]
      """;

  @BeforeAll
  static void start() throws Exception {
    h = new GatewayHarness();
    backend = h.backend("b");
    h.file("secrets.yaml", secrets(Tokens.jwks(KEY), KEYS));
    h.serve(
        """
            - matches: [{path: {value: /admin}}]
              backends: [{name: b, port: 80}]
              security:
        %s
                authorization:
                  allow: [{claims: [{name: scope, contains: orders.read}]}]
            - matches: [{path: {value: /public}}]
              backends: [{name: b, port: 80}]
              security:
        %s
                allowAnonymous: true
            - matches: [{path: {value: /keys}}]
              backends: [{name: b, port: 80}]
              security:
                apiKey: {secretRefs: [{name: partners}], queryParam: api_key}
                authorization:
                  allow: [{methods: [GET]}, {groups: [ops]}]
            - matches: [{path: {value: /tools}}]
              backends: [{name: b, port: 80}]
              security:
                basic: {secretRef: {name: staff}, realm: tools}
            - matches: [{path: {value: /}}]
              backends: [{name: b, port: 80}]
        """
            .formatted(indent(JWT, 8), indent(JWT, 8)));
  }

  static String indent(String text, int n) {
    return text.indent(n).stripTrailing();
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  static String bearer() {
    return "Bearer " + Tokens.sign(KEY, Tokens.claims(System.currentTimeMillis()).build());
  }

  static JsonObject seen(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body()).getJsonObject("headers");
  }

  @Test
  void aValidTokenPassesWithTheGatewaysIdentityHeadersOnly() throws Exception {
    JsonObject headers =
        seen(
            h.get(
                "/admin/x",
                "Authorization",
                bearer(),
                "X-Portico-Consumer",
                "spoofed",
                "X-Portico-Subject",
                "root",
                "X-User-Email",
                "root@evil"));
    assertThat(headers.getString("x-portico-subject")).isEqualTo("alice");
    assertThat(headers.getString("x-user-email")).isEqualTo("alice@example.com");
    assertThat(headers.containsKey("x-portico-consumer")).isFalse();
    assertThat(headers.containsKey("authorization")).isFalse();
  }

  @Test
  void aMissingTokenGets401WithABearerChallenge() throws Exception {
    HttpResponse<String> r = h.get("/admin/x");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"portico\"");
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(new JsonObject(r.body()).getString("type"))
        .isEqualTo("https://portico.dev/problems/unauthenticated");
  }

  @Test
  void aBadTokenGets401InvalidTokenWithoutDetails() throws Exception {
    long past = System.currentTimeMillis() - 3_600_000;
    String expired = Tokens.sign(KEY, Tokens.claims(past).build());
    HttpResponse<String> r = h.get("/admin/x", "Authorization", "Bearer " + expired);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("www-authenticate").orElseThrow())
        .contains("error=\"invalid_token\"");
    assertThat(r.body()).doesNotContain("expired").doesNotContain("exp");
  }

  @Test
  void aTokenWithoutTheScopeGets403() throws Exception {
    String token =
        Tokens.sign(
            KEY, Tokens.claims(System.currentTimeMillis()).claim("scope", "profile").build());
    HttpResponse<String> r = h.get("/admin/x", "Authorization", "Bearer " + token);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(r.body()).getString("type"))
        .isEqualTo("https://portico.dev/problems/forbidden");
  }

  @Test
  void anonymousCallersPassWhereAllowedButBadTokensDoNot() throws Exception {
    JsonObject headers = seen(h.get("/public/x", "X-Portico-Subject", "root"));
    assertThat(headers.containsKey("x-portico-subject")).isFalse();
    assertThat(h.get("/public/x", "Authorization", "Bearer garbage").statusCode()).isEqualTo(401);
    assertThat(seen(h.get("/public/x", "Authorization", bearer())).getString("x-portico-subject"))
        .isEqualTo("alice");
  }

  @Test
  void identityHeadersAreRemovedOnOpenRoutesToo() throws Exception {
    JsonObject headers = seen(h.get("/open", "X-Portico-Consumer", "spoofed"));
    assertThat(headers.containsKey("x-portico-consumer")).isFalse();
  }

  @Test
  void apiKeysFromTheHeaderOrTheQuery() throws Exception {
    JsonObject headers = seen(h.get("/keys/x", "X-API-Key", PARTNER_KEY));
    assertThat(headers.getString("x-portico-consumer")).isEqualTo("partner-a");
    assertThat(headers.getString("x-portico-groups")).isEqualTo("ops");
    assertThat(headers.containsKey("x-api-key")).isFalse();
    HttpResponse<String> q = h.get("/keys/x?a=1&api_key=" + OTHER_KEY);
    assertThat(new JsonObject(q.body()).getString("uri")).isEqualTo("/keys/x?a=1");
    assertThat(h.get("/keys/x", "X-API-Key", "pk_live_wrong_wrong_wrong").statusCode())
        .isEqualTo(401);
    // partner-b may read but not write (not in ops).
    HttpResponse<String> write =
        h.http.send(
            java.net.http.HttpRequest.newBuilder(h.uri("/keys/x"))
                .header("X-API-Key", OTHER_KEY)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(write.statusCode()).isEqualTo(403);
  }

  @Test
  void basicCredentials() throws Exception {
    String good =
        Base64.getEncoder().encodeToString("alice:wonderland".getBytes(StandardCharsets.UTF_8));
    String bad = Base64.getEncoder().encodeToString("alice:queen".getBytes(StandardCharsets.UTF_8));
    JsonObject headers = seen(h.get("/tools", "Authorization", "Basic " + good));
    assertThat(headers.getString("x-portico-consumer")).isEqualTo("alice");
    assertThat(headers.containsKey("authorization")).isFalse();
    seen(h.get("/tools", "Authorization", "Basic " + good)); // from the cache this time
    HttpResponse<String> r = h.get("/tools", "Authorization", "Basic " + bad);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("www-authenticate").orElseThrow())
        .startsWith("Basic realm=\"tools\"");
  }

  @Test
  void pathTricksCannotReachTheProtectedRuleUnauthenticated() throws Exception {
    int before = backend.requests.get();
    for (String target :
        new String[] {
          "/public/../admin",
          "//admin",
          "/admin%2F",
          "/public/..;/admin",
          "/./admin",
          "/public/%2e%2e/admin",
          "/ADMIN/../admin"
        }) {
      RawHttp.Response r =
          RawHttp.send(
              h.port, "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertThat(r.status()).as(target).isIn(400, 401);
    }
    assertThat(backend.requests.get()).isEqualTo(before);
  }

  @Test
  void editingSecretsRotatesKeysAndRevokesApiKeys() throws Exception {
    RSAKey next = Tokens.rsa("k2");
    try {
      h.file("secrets.yaml", secrets(Tokens.jwks(next), "  partner-b: " + OTHER_KEY));
      h.mode.reload(true);
      assertThat(h.get("/admin/x", "Authorization", bearer()).statusCode()).isEqualTo(401);
      String rotated = Tokens.sign(next, Tokens.claims(System.currentTimeMillis()).build());
      assertThat(h.get("/admin/x", "Authorization", "Bearer " + rotated).statusCode())
          .isEqualTo(200);
      assertThat(h.get("/keys/x", "X-API-Key", PARTNER_KEY).statusCode()).isEqualTo(401);
      assertThat(h.get("/keys/x", "X-API-Key", OTHER_KEY).statusCode()).isEqualTo(200);
    } finally {
      h.file("secrets.yaml", secrets(Tokens.jwks(KEY), KEYS));
      h.mode.reload(true);
    }
  }
}
