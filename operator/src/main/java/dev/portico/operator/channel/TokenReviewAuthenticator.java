package dev.portico.operator.channel;

import dev.portico.operator.workload.WorkloadNames;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates data-plane replicas by their ServiceAccount token, bound to the audience {@value
 * #AUDIENCE} (a projected token in the pod), through the API server's TokenReview: the caller must
 * be the ServiceAccount the operator created for that DataPlane. Tokens for the Kubernetes API
 * itself are refused, so a stolen API token cannot be replayed here. Verdicts are cached briefly by
 * token hash, so a reconnect storm does not become a TokenReview storm.
 */
public final class TokenReviewAuthenticator implements ReplicaAuthenticator {
  private static final Logger LOG = LoggerFactory.getLogger(TokenReviewAuthenticator.class);
  public static final String AUDIENCE = "portico-operator";
  private static final long CACHE_NANOS = 60_000_000_000L;
  private static final int CACHE_MAX = 10_000;

  private final KubernetesClient client;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(String username, long expiresAt) {}

  public TokenReviewAuthenticator(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public boolean mayRead(String bearerToken, String namespace, String dataPlane) {
    String expected =
        "system:serviceaccount:" + namespace + ":" + WorkloadNames.workload(dataPlane);
    String username = username(bearerToken);
    return expected.equals(username);
  }

  private String username(String token) {
    String key = sha256(token);
    long now = System.nanoTime();
    Cached cached = cache.get(key);
    if (cached != null && now - cached.expiresAt() < 0) {
      return cached.username();
    }
    String username = review(token);
    if (cache.size() >= CACHE_MAX) {
      cache.clear(); // crude bound; a flood of distinct tokens only costs TokenReviews
    }
    cache.put(key, new Cached(username, now + CACHE_NANOS));
    return username;
  }

  private String review(String token) {
    try {
      TokenReview review =
          client
              .resource(
                  new TokenReviewBuilder()
                      .withNewSpec()
                      .withToken(token)
                      .withAudiences(AUDIENCE)
                      .endSpec()
                      .build())
              .create();
      if (review.getStatus() == null
          || !Boolean.TRUE.equals(review.getStatus().getAuthenticated())) {
        return "";
      }
      return review.getStatus().getUser().getUsername();
    } catch (KubernetesClientException e) {
      LOG.warn("TokenReview failed ({}); refusing the caller", e.getCode());
      return "";
    }
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
