package dev.portico.e2e;

import static dev.portico.e2e.OperatorFixture.CONVERGE;
import static dev.portico.e2e.OperatorFixture.condition;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portico.api.route.GatewayRoute;
import dev.portico.e2e.cluster.KubeE2E;
import dev.portico.e2e.cluster.Kubectl;
import dev.portico.e2e.cluster.Poll;
import dev.portico.e2e.cluster.PorticoProcess;
import dev.portico.e2e.cluster.TestNamespace;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Authentication through the cluster path: a route protected by JWT (JWK Set in a labelled Secret)
 * and another by API keys (a labelled Secret), both Secrets in the route's namespace, delivered by
 * the operator inside the snapshot to a cluster-mode replica; editing the Secrets rotates the
 * signing key and revokes a key without a restart; a route naming a missing Secret reports
 * ResolvedRefs=False (InvalidAuthSecretRef) and answers 401 until the Secret appears.
 */
@KubeE2E
class AuthE2ETest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final String ISSUER = "https://idp.example.com/";
  private static final String KEY_A = "pk_e2e_0123456789abcdef";
  private static final String KEY_B = "pk_e2e_fedcba9876543210";

  @Test
  void jwtAndApiKeyRoutesWithSecretsRotationAndMissingSecrets(
      KubernetesClient client, TestNamespace ns, Kubectl kubectl) throws Exception {
    int listener = PorticoProcess.freePort();
    RSAKey k1 = new RSAKeyGenerator(2048).keyID("k1").generate();
    RSAKey k2 = new RSAKeyGenerator(2048).keyID("k2").generate();
    try (ClusterFixture f =
            ClusterFixture.setUp(client, kubectl, ns, "{\"name\":\"mug\"}", 1, listener);
        PorticoProcess replica = f.startWithOneReplica()) {
      f.apply(secret(ns.name(), "idp-keys", "jwks.json", jwks(k1)));
      f.apply(secret(ns.name(), "partner-keys", "partner-a", KEY_A, "partner-b", KEY_B));
      f.apply(secureRoute(ns.name()));
      f.apply(brokenRoute(ns.name()));
      replica.awaitReady(Duration.ofSeconds(60));

      f.awaitRoute(ns.name(), "secure", "ResolvedRefs", "True", "ResolvedRefs");
      GatewayRoute broken =
          f.awaitRoute(ns.name(), "broken", "ResolvedRefs", "False", "InvalidAuthSecretRef");
      Condition resolved = condition(broken.getStatus().conditions, "ResolvedRefs");
      assertThat(resolved.getMessage()).contains("Secret " + ns.name() + "/later-keys");

      awaitStatus(listener, "/jwt/x", 200, "Authorization", "Bearer " + token(k1));
      assertThat(get(listener, "/jwt/x").statusCode()).isEqualTo(401);
      assertThat(get(listener, "/jwt/x", "Authorization", "Bearer " + token(k2)).statusCode())
          .isEqualTo(401);
      assertThat(get(listener, "/keys/x", "X-API-Key", KEY_A).statusCode()).isEqualTo(200);
      assertThat(get(listener, "/keys/x", "X-API-Key", "pk_e2e_not_a_real_key").statusCode())
          .isEqualTo(401);
      assertThat(get(listener, "/later/x", "X-API-Key", KEY_A).statusCode()).isEqualTo(401);
      // The replica's admin view shows no key material.
      String view = replica.admin("/snapshot").body();
      assertThat(view).doesNotContain(k1.getModulus().toString()).contains("<redacted>");

      // Rotation: the issuer's Secret now holds k2 only; revocation: partner-a's key is gone.
      f.apply(secret(ns.name(), "idp-keys", "jwks.json", jwks(k2)));
      f.apply(secret(ns.name(), "partner-keys", "partner-b", KEY_B));
      awaitStatus(listener, "/jwt/x", 200, "Authorization", "Bearer " + token(k2));
      assertThat(get(listener, "/jwt/x", "Authorization", "Bearer " + token(k1)).statusCode())
          .isEqualTo(401);
      awaitStatus(listener, "/keys/x", 401, "X-API-Key", KEY_A);
      assertThat(get(listener, "/keys/x", "X-API-Key", KEY_B).statusCode()).isEqualTo(200);

      // The missing Secret appears: the route resolves and its key works.
      f.apply(secret(ns.name(), "later-keys", "partner-c", KEY_A));
      f.awaitRoute(ns.name(), "broken", "ResolvedRefs", "True", "ResolvedRefs");
      awaitStatus(listener, "/later/x", 200, "X-API-Key", KEY_A);
    }
  }

  private static void awaitStatus(int port, String path, int status, String... headers) {
    Poll.until(
        path + " answers " + status,
        CONVERGE,
        () -> {
          HttpResponse<String> r = get(port, path, headers);
          if (r.statusCode() != status) {
            throw new IllegalStateException(r.statusCode() + ": " + r.body());
          }
          return true;
        });
  }

  private static HttpResponse<String> get(int port, String path, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String token(RSAKey key) throws Exception {
    long now = System.currentTimeMillis();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
            new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject("alice")
                .audience("shop")
                .expirationTime(new Date(now + 600_000))
                .build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static String jwks(RSAKey... keys) {
    return new JWKSet(List.of(keys)).toPublicJWKSet().toString();
  }

  /** A labelled Secret with these data keys and values (base64: applying again drops keys). */
  private static String secret(String namespace, String name, String... kv) {
    StringBuilder data = new StringBuilder();
    for (int i = 0; i < kv.length; i += 2) {
      data.append("  ")
          .append(kv[i])
          .append(": ")
          .append(Base64.getEncoder().encodeToString(kv[i + 1].getBytes(StandardCharsets.UTF_8)))
          .append('\n');
    }
    return """
        apiVersion: v1
        kind: Secret
        metadata:
          name: %s
          namespace: %s
          labels: {portico.dev/credential: "true"}
        data:
        %s"""
        .formatted(name, namespace, data);
  }

  private static String secureRoute(String namespace) {
    return """
        apiVersion: portico.dev/v1alpha1
        kind: GatewayRoute
        metadata: {name: secure, namespace: %1$s}
        spec:
          parentRefs: [{name: edge}]
          rules:
            - matches: [{path: {value: /jwt}}]
              backends: [{name: catalog, port: 80}]
              security:
                jwt:
                  issuers:
                    - issuer: "%2$s"
                      audiences: [shop]
                      jwksSecretRef: {name: idp-keys}
            - matches: [{path: {value: /keys}}]
              backends: [{name: catalog, port: 80}]
              security:
                apiKey: {secretRefs: [{name: partner-keys}]}
        """
        .formatted(namespace, ISSUER);
  }

  private static String brokenRoute(String namespace) {
    return """
        apiVersion: portico.dev/v1alpha1
        kind: GatewayRoute
        metadata: {name: broken, namespace: %s}
        spec:
          parentRefs: [{name: edge}]
          rules:
            - matches: [{path: {value: /later}}]
              backends: [{name: catalog, port: 80}]
              security:
                apiKey: {secretRefs: [{name: later-keys}]}
        """
        .formatted(namespace);
  }
}
