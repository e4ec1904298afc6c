package dev.portico.dataplane.ratelimit.global;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.circuitbreaker.TimeoutException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counters shared by every replica of a DataPlane, kept in Redis: each request runs one atomic GCRA
 * step ({@code gcra.lua}, on the Redis server's clock) through Vert.x's non-blocking Redis client.
 *
 * <p>A dead or slow Redis must not add its timeout to every request: calls go through a circuit
 * breaker (Vert.x's). A call that fails or outlasts the timeout counts as a failure; after {@code
 * maxFailures} in a row the circuit opens and, for {@code openFor}, every limit decides by its
 * failure policy at once, without asking Redis; then one call probes and, if it succeeds, closes
 * the circuit. Each fallback is counted by policy, each failure by kind, and the circuit's state
 * changes are logged once each.
 */
public final class RedisRateLimiter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);

  /** How the limiter talks to Redis and when it gives up on it. */
  public record Settings(Duration timeout, int maxFailures, Duration openFor, int maxPoolSize) {
    /**
     * 100 ms per step; the circuit opens at 10 failures within one second (a dead Redis at any real
     * request rate, not a stray slow reply) and stays open 5 s; 32 pooled connections.
     */
    public static final Settings DEFAULTS =
        new Settings(Duration.ofMillis(100), 10, Duration.ofSeconds(5), 32);
  }

  private final Redis redis;
  private final RedisAPI api;
  private final CircuitBreaker breaker;
  private final Meters meters;
  private final Future<Void> ready;

  /** This limiter's batch of the current event-loop turn, in each event loop's context. */
  private final Object batchKey = new Object();

  /** Most scripts pipelined in one write. */
  static final int MAX_BATCH = 128;

  /**
   * @param connectionString {@code redis://[:password@]host:port[/db]} or {@code rediss://...}
   * @param registry where the Redis latency, errors and fallbacks are counted; null for none
   */
  public RedisRateLimiter(
      Vertx vertx,
      String connectionString,
      String password,
      Settings settings,
      MeterRegistry registry) {
    this(vertx, connectionString, null, password, settings, registry);
  }

  /**
   * @param connectionString {@code redis://host:port[/db]} or {@code rediss://...} (TLS, the
   *     server's name verified against the JVM's trust store)
   * @param user ACL user, or null for the default user
   * @param registry where the Redis latency, errors and fallbacks are counted; null for none
   */
  public RedisRateLimiter(
      Vertx vertx,
      String connectionString,
      String user,
      String password,
      Settings settings,
      MeterRegistry registry) {
    RedisOptions options =
        new RedisOptions()
            .setConnectionString(connectionString)
            .setMaxPoolSize(settings.maxPoolSize())
            .setMaxPoolWaiting(1024)
            .setMaxWaitingHandlers(4096);
    if (connectionString.startsWith("rediss://")) {
      options.setNetClientOptions(
          new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("HTTPS"));
    }
    if (user != null) {
      options.setUser(user);
    }
    if (password != null) {
      options.setPassword(password);
    }
    this.redis = Redis.createClient(vertx, options);
    this.api = RedisAPI.api(redis);
    this.breaker =
        CircuitBreaker.create(
            "portico-redis",
            vertx,
            new CircuitBreakerOptions()
                .setTimeout(settings.timeout().toMillis())
                .setMaxFailures(settings.maxFailures())
                .setFailuresRollingWindow(1000)
                .setResetTimeout(settings.openFor().toMillis())
                .setNotificationAddress(null));
    this.meters = new Meters(registry, breaker);
    breaker.openHandler(
        v ->
            LOG.warn(
                "Redis at {} is failing; Global rate limits follow their failure policy for {} ms"
                    + " before the next try",
                redactedAddress(connectionString),
                settings.openFor().toMillis()));
    breaker.closeHandler(v -> LOG.info("Redis answers again; Global rate limits count in Redis"));
    this.ready = GcraScript.load(api).compose(v -> openPool(settings.maxPoolSize()));
  }

  /**
   * Completes once the script is loaded in Redis and the pooled connections are open, so the first
   * requests pay for neither; fails when Redis cannot be reached, which {@link #acquire} then
   * handles by the failure policy like any outage.
   */
  public Future<Void> ready() {
    return ready;
  }

  /**
   * Takes one request from the counter {@code identity}: {@code requests} per {@code windowSeconds}
   * on average, at most {@code burst} at once.
   */
  public Future<GlobalDecision> acquire(
      String identity, long requests, long windowSeconds, long burst, boolean failOpen) {
    return acquire(
        List.of(
            new GlobalStep(
                identity, windowSeconds * 1_000_000.0 / requests, Math.max(1, burst), failOpen)));
  }

  /**
   * Takes one request from every step's counter if all of them admit it, from none otherwise, in
   * one atomic script. Never fails: when Redis cannot answer, the steps' failure policies decide (a
   * degraded decision).
   */
  public Future<GlobalDecision> acquire(List<GlobalStep> steps) {
    Context context = Vertx.currentContext();
    Pending pending = new Pending(steps, System.nanoTime());
    if (context == null) { // not on an event loop (tests, tools): no batch to join
      send(List.of(pending));
      return pending.promise.future();
    }
    // Requests that reach this limiter in one turn of the event loop share one write: their
    // scripts are pipelined on one pooled connection (each still its own atomic run), sent once
    // the turn's other ready requests had their chance to join, or at MAX_BATCH.
    @SuppressWarnings("unchecked")
    List<Pending> batch = (List<Pending>) context.get(batchKey);
    if (batch == null) {
      List<Pending> fresh = new ArrayList<>();
      batch = fresh;
      context.put(batchKey, fresh);
      context.runOnContext(v -> flush(context, fresh));
    }
    batch.add(pending);
    if (batch.size() >= MAX_BATCH) {
      flush(context, batch);
    }
    return pending.promise.future();
  }

  private void flush(Context context, List<Pending> batch) {
    if (context.get(batchKey) == batch) {
      context.remove(batchKey);
      send(batch);
    }
  }

  private void send(List<Pending> batch) {
    meters.batch(batch.size());
    List<List<GlobalStep>> steps = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      steps.add(p.steps);
    }
    breaker
        .<List<Response>>execute(() -> GcraScript.runAll(redis, steps))
        .onComplete(
            ar -> {
              long now = System.nanoTime();
              for (int i = 0; i < batch.size(); i++) {
                Pending p = batch.get(i);
                if (ar.succeeded()) {
                  meters.latency(now - p.started);
                  p.promise.complete(decision(ar.result().get(i)));
                } else {
                  GlobalDecision byPolicy = GlobalDecision.failurePolicy(p.steps);
                  meters.failure(ar.cause(), byPolicy.allowed());
                  p.promise.complete(byPolicy);
                }
              }
            });
  }

  /** A request waiting for its batch to be sent. */
  private static final class Pending {
    final List<GlobalStep> steps;
    final long started;
    final Promise<GlobalDecision> promise = Promise.promise();

    Pending(List<GlobalStep> steps, long started) {
      this.steps = steps;
      this.started = started;
    }
  }

  /** Opens the pooled connections now, not under the first burst of requests. */
  private Future<Void> openPool(int connections) {
    List<Future<?>> pings = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      pings.add(api.ping(List.of()));
    }
    return Future.all(pings).mapEmpty();
  }

  /** Closed, open (failure policy decides) or half-open (one call probes). */
  public CircuitBreakerState circuit() {
    return breaker.state();
  }

  private static GlobalDecision decision(Response r) {
    return new GlobalDecision(
        r.get(0).toLong() == 1,
        r.get(1).toInteger() - 1,
        r.get(2).toLong(),
        microsToMillisUp(r.get(3).toLong()),
        microsToMillisUp(r.get(4).toLong()),
        false);
  }

  private static long microsToMillisUp(long micros) {
    return (micros + 999) / 1000;
  }

  /** The address without credentials, for logs. */
  static String redactedAddress(String connectionString) {
    int at = connectionString.lastIndexOf('@');
    int scheme = connectionString.indexOf("://");
    if (at < 0 || scheme < 0) {
      return connectionString;
    }
    return connectionString.substring(0, scheme + 3) + connectionString.substring(at + 1);
  }

  @Override
  public void close() {
    meters.closed(breaker);
    breaker.close();
    redis.close();
  }

  /** Redis latency, failures by kind and fallbacks by policy. */
  private static final class Meters {
    /** The circuit of the newest limiter created on each registry. */
    private static final Map<MeterRegistry, CircuitBreaker> NEWEST = new ConcurrentHashMap<>();

    private final Timer latency;
    private final Counter timeouts;
    private final Counter errors;
    private final Counter shortCircuited;
    private final Counter admittedByPolicy;
    private final Counter refusedByPolicy;
    private final DistributionSummary batchSize;
    private final MeterRegistry registry;

    Meters(MeterRegistry registry, CircuitBreaker breaker) {
      this.registry = registry;
      if (registry == null) {
        latency = null;
        timeouts = errors = shortCircuited = admittedByPolicy = refusedByPolicy = null;
        batchSize = null;
        return;
      }
      latency =
          Timer.builder("portico.ratelimit.redis.duration")
              .description("Round trip of one Global rate-limit step in Redis")
              .publishPercentileHistogram()
              .minimumExpectedValue(Duration.ofMillis(1))
              .maximumExpectedValue(Duration.ofSeconds(1))
              .register(registry);
      batchSize =
          DistributionSummary.builder("portico.ratelimit.redis.batch")
              .description("Rate-limit scripts pipelined in one write to Redis")
              .register(registry);
      timeouts = failures(registry, "timeout");
      errors = failures(registry, "error");
      shortCircuited = failures(registry, "circuit_open");
      admittedByPolicy = fallbacks(registry, "Open");
      refusedByPolicy = fallbacks(registry, "Closed");
      // One gauge per registry, reading the newest limiter's circuit: a DataPlane whose Redis
      // settings change gets a new limiter, and a gauge bound to the old one would report it.
      NEWEST.put(registry, breaker);
      Gauge.builder(
              "portico.ratelimit.redis.circuit",
              registry,
              r -> NEWEST.containsKey(r) ? state(NEWEST.get(r).state()) : Double.NaN)
          .description("Circuit to Redis: 0 closed, 1 open, 0.5 half-open (probing)")
          .register(registry);
    }

    private static Counter failures(MeterRegistry registry, String kind) {
      return Counter.builder("portico.ratelimit.redis.failures")
          .description("Global rate-limit steps Redis did not answer, by kind")
          .tag("kind", kind)
          .register(registry);
    }

    private static Counter fallbacks(MeterRegistry registry, String policy) {
      return Counter.builder("portico.ratelimit.redis.fallbacks")
          .description("Global rate-limit decisions made by the failure policy, by policy")
          .tag("failure_policy", policy)
          .register(registry);
    }

    private static double state(CircuitBreakerState state) {
      return switch (state) {
        case CLOSED -> 0;
        case OPEN -> 1;
        case HALF_OPEN -> 0.5;
      };
    }

    void closed(CircuitBreaker breaker) {
      if (registry != null) {
        NEWEST.remove(registry, breaker);
      }
    }

    void batch(int size) {
      if (batchSize != null) {
        batchSize.record(size);
      }
    }

    void latency(long nanos) {
      if (latency != null) {
        latency.record(nanos, TimeUnit.NANOSECONDS);
      }
    }

    void failure(Throwable e, boolean admitted) {
      if (latency == null) {
        return;
      }
      if (e instanceof OpenCircuitException) {
        shortCircuited.increment();
      } else if (e instanceof TimeoutException) {
        timeouts.increment();
      } else {
        errors.increment();
      }
      (admitted ? admittedByPolicy : refusedByPolicy).increment();
    }
  }
}
