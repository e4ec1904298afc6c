package dev.portico.dataplane.ratelimit.global;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.testing.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Global limits against a real redis-server on loopback. */
class RedisRateLimiterTest {
  private static final RedisRateLimiter.Settings FAST_RECOVERY =
      new RedisRateLimiter.Settings(Duration.ofMillis(200), 3, Duration.ofMillis(500), 8);

  static RedisServer redis;
  static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start(null);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await();
    redis.close();
  }

  @Test
  void aLimiterIsReadyOnceRedisHasTheScript() throws Exception {
    assertThat(redis.command("SCRIPT", "FLUSH")).isEqualTo("+OK");
    try (RedisRateLimiter limiter = limiter(RedisRateLimiter.Settings.DEFAULTS)) {
      // EVALSHA answers a 5-element array when Redis has the script, -NOSCRIPT otherwise.
      assertThat(redis.command("EVALSHA", GcraScript.SHA1, "1", "probe", "1000000", "1"))
          .isEqualTo("*5");
    }
  }

  private static GlobalDecision take(
      RedisRateLimiter limiter, String key, long requests, long window) throws Exception {
    return await(limiter.acquire(key, requests, window, requests, false));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void burstIsSpentThenRefusedUntilTheNextEmission() throws Exception {
    try (RedisRateLimiter limiter = limiter(RedisRateLimiter.Settings.DEFAULTS)) {
      List<Long> remaining = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        GlobalDecision d = take(limiter, "burst", 5, 3600);
        assertThat(d.allowed()).isTrue();
        assertThat(d.degraded()).isFalse();
        remaining.add(d.remaining());
      }
      assertThat(remaining).containsExactly(4L, 3L, 2L, 1L, 0L);
      GlobalDecision refused = take(limiter, "burst", 5, 3600);
      assertThat(refused.allowed()).isFalse();
      assertThat(refused.degraded()).isFalse();
      // One request every 720 s: the next one is about 720 s away, the bucket full in 3,600 s.
      assertThat(refused.retryAfterMillis()).isBetween(715_000L, 720_001L);
      assertThat(refused.resetMillis()).isBetween(3_590_000L, 3_600_001L);
    }
  }

  @Test
  void severalCountersAreTakenAllOrNone() throws Exception {
    try (RedisRateLimiter limiter = limiter(RedisRateLimiter.Settings.DEFAULTS)) {
      GlobalStep roomy = new GlobalStep("multi-roomy", 36_000_000.0, 10, false); // 10/6 min
      GlobalStep tight = new GlobalStep("multi-tight", 60_000_000.0, 2, false); // 2, 1/min
      GlobalDecision first = await(limiter.acquire(List.of(roomy, tight)));
      assertThat(first.allowed()).isTrue();
      // The tightest counter is reported: tight has 1 left, roomy 9.
      assertThat(first.index()).isEqualTo(1);
      assertThat(first.remaining()).isEqualTo(1);
      assertThat(await(limiter.acquire(List.of(roomy, tight))).allowed()).isTrue();
      for (int i = 0; i < 3; i++) {
        GlobalDecision refused = await(limiter.acquire(List.of(roomy, tight)));
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.index()).isEqualTo(1);
      }
      // Refused three times by tight: roomy gave nothing, 8 of 10 are left.
      GlobalDecision alone = await(limiter.acquire(List.of(roomy)));
      assertThat(alone.allowed()).isTrue();
      assertThat(alone.remaining()).isEqualTo(7);
    }
  }

  @Test
  void requestsOfOneEventLoopTurnShareOneWriteAndStayIndependent() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (RedisRateLimiter limiter =
        new RedisRateLimiter(
            vertx, redis.url(), null, RedisRateLimiter.Settings.DEFAULTS, registry)) {
      await(limiter.ready());
      List<Future<GlobalDecision>> decisions = new ArrayList<>();
      Promise<Void> issued = Promise.promise();
      vertx.runOnContext(
          v -> {
            for (int i = 0; i < 60; i++) {
              decisions.add(limiter.acquire("turn-" + (i % 2), 25, 3600, 25, false));
            }
            issued.complete();
          });
      await(issued.future());
      await(Future.all(decisions));
      // Two keys, 25 each: every script ran on its own, in order, on the shared counters.
      long allowed = decisions.stream().filter(f -> f.result().allowed()).count();
      assertThat(allowed).isEqualTo(50);
      assertThat(decisions.stream().noneMatch(f -> f.result().degraded())).isTrue();
      var batches = registry.get("portico.ratelimit.redis.batch").summary();
      assertThat(batches.count()).isEqualTo(1);
      assertThat(batches.totalAmount()).isEqualTo(60);
    }
  }

  @Test
  void keysCountSeparately() throws Exception {
    try (RedisRateLimiter limiter = limiter(RedisRateLimiter.Settings.DEFAULTS)) {
      assertThat(take(limiter, "client-a", 1, 60).allowed()).isTrue();
      assertThat(take(limiter, "client-a", 1, 60).allowed()).isFalse();
      assertThat(take(limiter, "client-b", 1, 60).allowed()).isTrue();
    }
  }

  @Test
  void theCounterRefillsAtTheLimitsRate() throws Exception {
    try (RedisRateLimiter limiter = limiter(RedisRateLimiter.Settings.DEFAULTS)) {
      // 10 per second, one at a time: a request every 100 ms.
      assertThat(await(limiter.acquire("refill", 10, 1, 1, false)).allowed()).isTrue();
      GlobalDecision refused = await(limiter.acquire("refill", 10, 1, 1, false));
      assertThat(refused.allowed()).isFalse();
      assertThat(refused.retryAfterMillis()).isBetween(1L, 100L);
      Thread.sleep(refused.retryAfterMillis() + 20);
      assertThat(await(limiter.acquire("refill", 10, 1, 1, false)).allowed()).isTrue();
    }
  }

  /**
   * Three replicas (each its own Vert.x, client and breaker) share one limit of 3,000 per hour:
   * hammered with 6,000 concurrent requests, they admit the limit's burst and what refilled
   * meanwhile (under one request per 1.2 s), within 1%.
   */
  @Test
  void threeReplicasShareOneCounterAccurately() throws Exception {
    long limit = 3000;
    List<Vertx> loops = List.of(Vertx.vertx(), Vertx.vertx(), Vertx.vertx());
    List<RedisRateLimiter> replicas = new ArrayList<>();
    // Accuracy, not latency, is measured: a loaded CI machine must not turn slow answers into
    // failure-policy decisions.
    RedisRateLimiter.Settings patient =
        new RedisRateLimiter.Settings(Duration.ofSeconds(2), 10, Duration.ofSeconds(5), 32);
    for (Vertx v : loops) {
      replicas.add(new RedisRateLimiter(v, redis.url(), null, patient, null));
    }
    for (RedisRateLimiter r : replicas) {
      await(r.ready());
    }
    AtomicInteger admitted = new AtomicInteger();
    AtomicInteger degraded = new AtomicInteger();
    long started = System.nanoTime();
    List<Future<?>> all = new ArrayList<>();
    // Each replica: 32 clients in parallel, each sending its requests one after the other.
    for (RedisRateLimiter r : replicas) {
      for (int c = 0; c < 32; c++) {
        all.add(hammer(r, "shared", limit, (int) (2 * limit / 3 / 32) + 1, admitted, degraded));
      }
    }
    await(Future.all(all));
    double seconds = (System.nanoTime() - started) / 1e9;
    for (RedisRateLimiter r : replicas) {
      r.close();
    }
    for (Vertx v : loops) {
      v.close().await();
    }
    System.out.printf(
        "[global-accuracy] limit %d/hour, 3 replicas, %d requests: %d admitted in %.2f s%n",
        limit, 2 * limit, admitted.get(), seconds);
    assertThat(degraded.get()).isZero();
    long refilled = (long) (seconds * limit / 3600.0);
    assertThat(admitted.get())
        .as("admitted in %.1f s", seconds)
        .isBetween((int) (limit * 0.99), (int) (limit * 1.01) + (int) refilled);
  }

  private static Future<Void> hammer(
      RedisRateLimiter r,
      String key,
      long limit,
      int requests,
      AtomicInteger admitted,
      AtomicInteger degraded) {
    if (requests == 0) {
      return Future.succeededFuture();
    }
    return r.acquire(key, limit, 3600, limit, false)
        .compose(
            d -> {
              if (d.allowed()) {
                admitted.incrementAndGet();
              }
              if (d.degraded()) {
                degraded.incrementAndGet();
              }
              return hammer(r, key, limit, requests - 1, admitted, degraded);
            });
  }

  @Test
  void redisDownFollowsEachLimitsFailurePolicyThenRecovers() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (RedisServer own = RedisServer.start(null);
        RedisRateLimiter limiter =
            new RedisRateLimiter(vertx, own.url(), null, FAST_RECOVERY, registry)) {
      await(limiter.ready());
      assertThat(await(limiter.acquire("outage", 100, 60, 100, false)).degraded()).isFalse();
      own.stop();

      GlobalDecision open = await(limiter.acquire("outage", 100, 60, 100, true));
      assertThat(open.allowed()).isTrue();
      assertThat(open.degraded()).isTrue();
      GlobalDecision closed = await(limiter.acquire("outage", 100, 60, 100, false));
      assertThat(closed.allowed()).isFalse();
      assertThat(closed.degraded()).isTrue();
      assertThat(closed.retryAfterMillis()).isPositive();
      for (int i = 0; i < 5; i++) {
        await(limiter.acquire("outage", 100, 60, 100, true));
      }
      // Past maxFailures the circuit is open: decisions no longer wait for Redis at all.
      assertThat(limiter.circuit()).isEqualTo(CircuitBreakerState.OPEN);
      assertThat(
              registry
                  .get("portico.ratelimit.redis.failures")
                  .tag("kind", "circuit_open")
                  .counter()
                  .count())
          .isPositive();
      assertThat(
              registry
                  .get("portico.ratelimit.redis.fallbacks")
                  .tag("failure_policy", "Closed")
                  .counter()
                  .count())
          .isEqualTo(1);
      assertThat(registry.get("portico.ratelimit.redis.circuit").gauge().value()).isEqualTo(1);

      own.start();
      Thread.sleep(FAST_RECOVERY.openFor().toMillis() + 100);
      GlobalDecision back = await(limiter.acquire("outage", 100, 60, 100, false));
      assertThat(back.degraded()).isFalse();
      assertThat(back.allowed()).isTrue();
      assertThat(limiter.circuit()).isEqualTo(CircuitBreakerState.CLOSED);
      assertThat(registry.get("portico.ratelimit.redis.duration").timer().count()).isPositive();
    }
  }

  @Test
  void theScriptIsSentAgainWhenRedisForgotIt() throws Exception {
    try (RedisRateLimiter limiter = limiter(RedisRateLimiter.Settings.DEFAULTS)) {
      assertThat(take(limiter, "flush", 10, 60).degraded()).isFalse();
      assertThat(redis.command("SCRIPT", "FLUSH")).isEqualTo("+OK");
      GlobalDecision d = take(limiter, "flush", 10, 60);
      assertThat(d.degraded()).isFalse();
      assertThat(d.remaining()).isEqualTo(8);
    }
  }

  @Test
  void aPasswordProtectedRedisNeedsThePassword() throws Exception {
    try (RedisServer locked = RedisServer.start("s3cret-pass");
        RedisRateLimiter right =
            new RedisRateLimiter(vertx, locked.url(), "s3cret-pass", FAST_RECOVERY, null);
        RedisRateLimiter wrong =
            new RedisRateLimiter(vertx, locked.url(), "nope", FAST_RECOVERY, null)) {
      await(right.ready());
      assertThat(await(right.acquire("auth", 5, 60, 5, false)).degraded()).isFalse();
      GlobalDecision refused = await(wrong.acquire("auth", 5, 60, 5, false));
      assertThat(refused.degraded()).isTrue();
      assertThat(refused.allowed()).isFalse();
    }
  }

  @Test
  void countersLiveUnderHashedKeysWithoutClientText() throws Exception {
    String clientText = "x".repeat(5000) + "\r\nFLUSHALL";
    try (RedisRateLimiter limiter = limiter(RedisRateLimiter.Settings.DEFAULTS)) {
      assertThat(take(limiter, clientText, 5, 60).allowed()).isTrue();
    }
    String key = CounterKeys.of(clientText);
    assertThat(key).startsWith(CounterKeys.PREFIX).hasSize(CounterKeys.PREFIX.length() + 22);
    assertThat(redis.command("EXISTS", key)).isEqualTo(":1");
    // The counter expires once it would be full again: no key outlives its window.
    assertThat(Long.parseLong(redis.command("PTTL", key).substring(1))).isBetween(1L, 12_001L);
  }

  @Test
  void logsNeverShowTheRedisPassword() {
    assertThat(RedisRateLimiter.redactedAddress("redis://:hunter2@redis.portico:6379/0"))
        .isEqualTo("redis://redis.portico:6379/0");
    assertThat(RedisRateLimiter.redactedAddress("rediss://user:pw@r:6380"))
        .isEqualTo("rediss://r:6380");
    assertThat(RedisRateLimiter.redactedAddress("redis://r:6379")).isEqualTo("redis://r:6379");
  }

  private static RedisRateLimiter limiter(RedisRateLimiter.Settings settings) throws Exception {
    RedisRateLimiter limiter = new RedisRateLimiter(vertx, redis.url(), null, settings, null);
    await(limiter.ready());
    return limiter;
  }
}
