package dev.portico.e2e;

import static dev.portico.e2e.ClusterFixture.get;
import static dev.portico.e2e.OperatorFixture.condition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.api.dataplane.DataPlane;
import dev.portico.e2e.cluster.KubeE2E;
import dev.portico.e2e.cluster.Kubectl;
import dev.portico.e2e.cluster.Poll;
import dev.portico.e2e.cluster.PorticoProcess;
import dev.portico.e2e.cluster.ReplicaCredentials;
import dev.portico.e2e.cluster.TestNamespace;
import dev.portico.operator.PorticoOperator;
import dev.portico.testing.RedisServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Global rate limits through the cluster path: a DataPlane names a password-protected Redis through
 * a labelled Secret, three cluster-mode data-plane processes share one limit accurately, and when
 * Redis stops, limits that fail open keep admitting while limits that fail closed answer 503, with
 * no 500 anywhere.
 */
@KubeE2E
class GlobalRateLimitE2ETest {
  private static final String PASSWORD = "e2e-redis-pass";
  private static final List<String> ADDRESSES = List.of("127.0.0.1", "127.0.0.2", "127.0.0.3");
  private static final long LIMIT = 600; // per minute, burst 600: one more every 100 ms

  @Test
  void threeReplicasShareOneLimitAndFollowTheFailurePolicyWhenRedisStops(
      KubernetesClient client, TestNamespace ns, Kubectl kubectl) throws Exception {
    int listener = freeOnAll();
    try (RedisServer redis = RedisServer.start(PASSWORD);
        ClusterFixture f = ClusterFixture.setUp(client, kubectl, ns, "shared", 3, listener)) {
      f.apply(secret(ns.name()));
      f.apply(dataPlaneWithRedis(ns.name(), listener, redis.port()));
      f.apply(policy(ns.name()));
      PorticoOperator operator = f.start(Set.of(ns.name()), true);
      int channel = operator.channelPort().orElseThrow();
      ReplicaCredentials creds = f.credentials(operator.channelCaPem().orElseThrow());
      List<PorticoProcess> replicas = new ArrayList<>();
      try {
        for (int i = 0; i < ADDRESSES.size(); i++) {
          replicas.add(f.replica("replica-" + i, channel, creds, ADDRESSES.get(i)));
        }
        // Three JVMs starting on a small machine; the admin port of the others is on their own
        // address, so each is awaited through its listener.
        replicas.get(0).awaitReady(Duration.ofSeconds(90));
        for (String address : ADDRESSES) {
          Poll.until(
              "the replica on " + address + " serves",
              Duration.ofSeconds(90),
              () -> get(address, listener, "/warm").statusCode() == 200);
        }
        Condition enforced = RateLimitE2ETest.awaitEnforced(client, ns.name(), "shared", "True");
        assertThat(enforced.getReason()).isEqualTo("Enforced");
        DataPlane dp =
            client.resources(DataPlane.class).inNamespace(ns.name()).withName("edge").get();
        assertThat(condition(dp.getStatus().conditions, "ResolvedRefs").getStatus())
            .isEqualTo("True");

        Map<Integer, AtomicInteger> byStatus = hammer(listener, "/products", 3 * (int) LIMIT, 24);
        int admitted = count(byStatus, 200);
        double seconds = lastHammerSeconds;
        long refilled = (long) (seconds * LIMIT / 60.0);
        System.out.printf(
            "[global-accuracy-e2e] %d/minute across 3 processes: %d admitted of %d in %.2f s"
                + " (refill allows %d more)%n",
            LIMIT, admitted, 3 * LIMIT, seconds, refilled);
        assertThat(byStatus.keySet()).containsOnly(200, 429);
        assertThat(admitted).isBetween((int) (LIMIT * 0.99), (int) ((LIMIT + refilled) * 1.01) + 1);

        redis.stop();
        try {
          Map<Integer, AtomicInteger> open = hammer(listener, "/open", 150, 6);
          Map<Integer, AtomicInteger> closed = hammer(listener, "/closed", 150, 6);
          assertThat(open.keySet()).containsOnly(200);
          assertThat(closed.keySet()).containsOnly(503);
          HttpResponse<String> refused = get("127.0.0.2", listener, "/closed");
          assertThat(refused.body()).contains("rate-limit-unavailable");
          assertThat(refused.headers().firstValue("retry-after")).isPresent();
        } finally {
          redis.start();
        }
        // Redis is back: once the circuit closes again, Closed limits count instead of refusing.
        Poll.until(
            "the closed limit admits again",
            Duration.ofSeconds(30),
            () -> get("127.0.0.3", listener, "/closed").statusCode() == 200);
      } finally {
        for (PorticoProcess p : replicas) {
          p.close();
        }
      }
    }
  }

  private static volatile double lastHammerSeconds;

  /** {@code total} GETs spread over the three replicas by {@code threads} clients; by status. */
  private static Map<Integer, AtomicInteger> hammer(int port, String path, int total, int threads)
      throws Exception {
    Map<Integer, AtomicInteger> byStatus = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        running.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    int status = get(ADDRESSES.get(i % 3), port, path).statusCode();
                    byStatus.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                  }
                  return null;
                }));
      }
      for (Future<?> r : running) {
        r.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    lastHammerSeconds = (System.nanoTime() - start) / 1e9;
    return byStatus;
  }

  private static int count(Map<Integer, AtomicInteger> byStatus, int status) {
    AtomicInteger n = byStatus.get(status);
    return n == null ? 0 : n.get();
  }

  /** A port free on the three loopback addresses the replicas bind. */
  private static int freeOnAll() throws IOException {
    for (int attempt = 0; attempt < 20; attempt++) {
      int port = PorticoProcess.freePort();
      List<ServerSocket> held = new ArrayList<>();
      try {
        for (String address : ADDRESSES) {
          ServerSocket s = new ServerSocket();
          held.add(s);
          s.bind(new InetSocketAddress(InetAddress.getByName(address), port));
        }
        return port;
      } catch (IOException taken) {
        // try another
      } finally {
        for (ServerSocket s : held) {
          s.close();
        }
      }
    }
    throw new IllegalStateException("no port free on " + ADDRESSES);
  }

  private static String secret(String namespace) {
    return """
        apiVersion: v1
        kind: Secret
        metadata:
          name: redis-auth
          namespace: %s
          labels: {portico.dev/credential: "true"}
        stringData: {password: %s}
        """
        .formatted(namespace, PASSWORD);
  }

  private static String dataPlaneWithRedis(String namespace, int port, int redisPort) {
    return """
        apiVersion: portico.dev/v1alpha1
        kind: DataPlane
        metadata: {name: edge, namespace: %s}
        spec:
          replicas: 3
          listeners: [{name: http0, port: %d}]
          redis:
            address: "127.0.0.1:%d"
            passwordSecretRef: {name: redis-auth}
            timeout: 2s   # accuracy is measured: a slow answer on a busy machine must not fail open
        """
        .formatted(namespace, port, redisPort);
  }

  private static String policy(String namespace) {
    return """
        apiVersion: portico.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: shared, namespace: %s}
        spec:
          targetRef: {kind: GatewayRoute, name: shop}
          limits:
            - name: products
              requests: %d
              window: Minute
              scope: Global
              when: [{path: {type: PathPrefix, value: /products}}]
            - name: lenient
              requests: 100000
              window: Minute
              scope: Global
              failurePolicy: Open
              when: [{path: {type: PathPrefix, value: /open}}]
            - name: strict
              requests: 100000
              window: Minute
              scope: Global
              failurePolicy: Closed
              when: [{path: {type: PathPrefix, value: /closed}}]
        """
        .formatted(namespace, LIMIT);
  }
}
