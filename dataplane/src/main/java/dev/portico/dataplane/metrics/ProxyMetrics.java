package dev.portico.dataplane.metrics;

import dev.portico.snapshot.RateLimitConfig;
import dev.portico.snapshot.Snapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The data plane's meters, fed by the proxy pipeline after each response (with the access log) and
 * by snapshot intake and upstream pools; read through {@code /metrics} on the admin port.
 *
 * <p>Meters are created once per tag set and cached, so the hot path is a map lookup and an
 * increment. Tag values are bounded: routes and backends are rule ids and Service names from the
 * snapshot, each capped at {@code maxTagValues} distinct values (beyond that they count as {@value
 * #OVERFLOW}), methods and status classes are fixed sets.
 *
 * <p>Create one per registry: a second instance would find the gauges already registered and bound
 * to the first one's state.
 */
public final class ProxyMetrics {
  /** The route tag of a request that matched no rule. */
  public static final String NONE = "none";

  /** The tag value that absorbs values past the cap. */
  public static final String OVERFLOW = "other";

  /** Default cap on distinct route or backend tag values. */
  public static final int DEFAULT_MAX_TAG_VALUES = 10_000;

  private final MeterRegistry registry;
  private final int maxTagValues;
  private final ConcurrentHashMap<String, RouteMeters> routes = new ConcurrentHashMap<>();
  private final TaggedCounters retries;
  private final TaggedCounters connectErrors;
  private final TaggedCounters ejections;
  private final TaggedCounters rateLimitAllowed;
  private final TaggedCounters rateLimitLimited;
  private final ConcurrentHashMap<String, Timer> composeParts = new ConcurrentHashMap<>();
  private final AtomicLong activeConnections = new AtomicLong();
  private final AtomicInteger snapshotRules = new AtomicInteger();
  private final Counter snapshotsRejected;
  private final Counter accessLogDropped;
  private final Counter tlsHandshakeFailures;
  private final Timer applyDecode;
  private final Timer applyDiscovery;
  private final Timer applySwap;
  private final Counter corsPreflightsAllowed;
  private final Counter corsPreflightsRejected;

  /** Guarded by {@code this}: the info gauge of the current snapshot version. */
  private Gauge snapshotInfo;

  public ProxyMetrics(MeterRegistry registry) {
    this(registry, DEFAULT_MAX_TAG_VALUES);
  }

  public ProxyMetrics(MeterRegistry registry, int maxTagValues) {
    if (maxTagValues < 1) {
      throw new IllegalArgumentException("maxTagValues must be positive: " + maxTagValues);
    }
    this.registry = registry;
    this.maxTagValues = maxTagValues;
    this.retries =
        new TaggedCounters(
            registry, "portico.retries", "Retried upstream attempts", "route", maxTagValues);
    this.connectErrors =
        new TaggedCounters(
            registry,
            "portico.upstream.connect.errors",
            "Failed connection attempts to backend endpoints",
            "backend",
            maxTagValues);
    this.ejections =
        new TaggedCounters(
            registry,
            "portico.upstream.ejections",
            "Endpoints ejected by outlier detection",
            "backend",
            maxTagValues);
    this.rateLimitAllowed = rateLimitCounters(registry, maxTagValues, "allowed");
    this.rateLimitLimited = rateLimitCounters(registry, maxTagValues, "limited");
    Gauge.builder("portico.connections.active", activeConnections, AtomicLong::get)
        .description("Open client connections")
        .strongReference(true)
        .register(registry);
    Gauge.builder("portico.snapshot.rules", snapshotRules, AtomicInteger::get)
        .description("Rules in the loaded snapshot")
        .strongReference(true)
        .register(registry);
    this.snapshotsRejected =
        Counter.builder("portico.snapshot.rejected")
            .description("Snapshots refused by validation; the previous one stays")
            .register(registry);
    this.accessLogDropped =
        Counter.builder("portico.accesslog.dropped")
            .description("Access log entries dropped because the writer fell behind")
            .register(registry);
    this.tlsHandshakeFailures =
        Counter.builder("portico.tls.handshake.failures")
            .description("Connections to HTTPS listeners closed because the TLS handshake failed")
            .register(registry);
    this.applyDecode = applyStage(registry, "decode");
    this.applyDiscovery = applyStage(registry, "discovery");
    this.applySwap = applyStage(registry, "swap");
    this.corsPreflightsAllowed = corsPreflightCounter(registry, "allowed");
    this.corsPreflightsRejected = corsPreflightCounter(registry, "rejected");
  }

  private static Counter corsPreflightCounter(MeterRegistry registry, String result) {
    return Counter.builder("portico.cors.preflight")
        .description("CORS preflights the gateway answered: allowed (204) or rejected (403)")
        .tag("result", result)
        .register(registry);
  }

  /**
   * Counts a CORS preflight the gateway answered: {@code portico_cors_preflight_total{result}},
   * allowed (204) or rejected (403).
   */
  public void corsPreflight(boolean allowed) {
    (allowed ? corsPreflightsAllowed : corsPreflightsRejected).increment();
  }

  /** Counts a failed TLS handshake: scanners and broken clients, not worth a log line each. */
  public void tlsHandshakeFailed() {
    tlsHandshakeFailures.increment();
  }

  /**
   * Records one answered request.
   *
   * @param route the rule id, or null when no rule matched
   * @param method the request method; unknown methods count as OTHER
   * @param status the response status; outside 100-599 counts as "unknown"
   */
  public void request(String route, String method, int status, long durationNanos) {
    routeMeters(route == null ? NONE : route)
        .record(MethodTag.of(method), StatusClass.of(status), Math.max(0, durationNanos));
  }

  /**
   * Counts a failed connection attempt.
   *
   * @param backend the Service ({@code namespace/name} or with its port), not an endpoint address:
   *     addresses churn with pods and would grow the series without bound
   */
  public void upstreamConnectError(String backend) {
    connectErrors.increment(backend == null ? NONE : backend);
  }

  /** Counts one retried attempt of a request matched by {@code route} (a rule id). */
  public void retry(String route) {
    retries.increment(route == null ? NONE : route);
  }

  /**
   * Records one part of a composed request: {@code portico_compose_part_duration_seconds{route,
   * part, outcome}}. Parts are named in the snapshot (at most 16 per rule) and outcomes are a fixed
   * set, so the series are bounded like the route's own.
   */
  public void composedPart(String route, String part, String outcome, long nanos) {
    String r = route == null ? NONE : route;
    String key = r + "\n" + part + "\n" + outcome;
    Timer timer = composeParts.get(key);
    if (timer == null) {
      if (composeParts.size() >= maxTagValues) {
        return;
      }
      timer =
          composeParts.computeIfAbsent(
              key,
              k ->
                  Timer.builder("portico.compose.part.duration")
                      .description("Time of each part of a composed request, by outcome")
                      .tag("route", r)
                      .tag("part", part)
                      .tag("outcome", outcome)
                      .publishPercentileHistogram()
                      .minimumExpectedValue(Duration.ofMillis(1))
                      .maximumExpectedValue(Duration.ofSeconds(60))
                      .register(registry));
    }
    timer.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  /** Counts an endpoint ejection of {@code backend} (a Service, as for connect errors). */
  public void ejection(String backend) {
    ejections.increment(backend == null ? NONE : backend);
  }

  /**
   * {@code portico_ratelimit_requests_total{limit, result}}: limit ids come from the snapshot and
   * are capped like route tags.
   */
  private static TaggedCounters rateLimitCounters(
      MeterRegistry registry, int maxTagValues, String result) {
    return new TaggedCounters(
        registry,
        "portico.ratelimit.requests",
        "Requests a rate limit admitted (allowed) or refused with 429 (limited)",
        "limit",
        maxTagValues,
        Tags.of("result", result));
  }

  /**
   * Counts one decision of a rate limit.
   *
   * @param limit the limit id ({@code namespace/policy/limit}), from the snapshot
   */
  public void rateLimit(String limit, boolean allowed) {
    (allowed ? rateLimitAllowed : rateLimitLimited).increment(limit);
  }

  /** Publishes {@code portico_ratelimit_buckets}: the token buckets the process holds. */
  public void rateLimitBuckets(LongSupplier buckets) {
    Gauge.builder("portico.ratelimit.buckets", buckets, LongSupplier::getAsLong)
        .description("Rate-limit token buckets held (one per limit and key)")
        .strongReference(true)
        .register(registry);
  }

  public void connectionOpened() {
    activeConnections.incrementAndGet();
  }

  public void connectionClosed() {
    activeConnections.decrementAndGet();
  }

  /**
   * Publishes the loaded snapshot: its rule count and {@code portico.snapshot.info{version}} = 1,
   * whose previous version's series is removed so that exactly one version is current.
   */
  public synchronized void snapshotLoaded(String version, int ruleCount) {
    snapshotRules.set(ruleCount);
    String tag = version == null ? "" : version;
    if (snapshotInfo != null && tag.equals(snapshotInfo.getId().getTag("version"))) {
      return;
    }
    if (snapshotInfo != null) {
      registry.remove(snapshotInfo);
    }
    snapshotInfo =
        Gauge.builder("portico.snapshot.info", () -> 1)
            .description("The loaded snapshot version (always 1)")
            .tag("version", tag)
            .register(registry);
  }

  /**
   * {@link #snapshotLoaded(String, int)}, then drops the meters of rules the snapshot no longer
   * has, so route series do not accumulate across swaps.
   */
  public void snapshotLoaded(Snapshot snapshot) {
    Set<String> ids = new HashSet<>();
    snapshot.rules().forEach(rule -> ids.add(rule.id()));
    snapshotLoaded(snapshot, ids::contains);
  }

  /**
   * {@link #snapshotLoaded(Snapshot)} with the snapshot's rules looked up by the caller (a loaded
   * snapshot has them by id already): the meters are per route with traffic, far fewer than the
   * rules, so a swap among 5,000 rules checks those instead of collecting every rule id.
   */
  public void snapshotLoaded(Snapshot snapshot, Predicate<String> hasRule) {
    snapshotLoaded(snapshot.version(), snapshot.rules().size());
    retainRoutes(hasRule);
    List<String> limits = snapshot.rateLimits().stream().map(RateLimitConfig::id).toList();
    rateLimitAllowed.retain(limits);
    rateLimitLimited.retain(limits);
  }

  /** Removes the meters of routes {@code hasRule} says are gone; "none" and the overflow stay. */
  public void retainRoutes(Predicate<String> hasRule) {
    routes
        .entrySet()
        .removeIf(
            entry -> {
              String route = entry.getKey();
              if (hasRule.test(route) || route.equals(NONE) || route.equals(OVERFLOW)) {
                return false;
              }
              entry.getValue().remove();
              return true;
            });
    retries.retain(hasRule);
    composeParts
        .entrySet()
        .removeIf(
            entry -> {
              String route = entry.getKey().substring(0, entry.getKey().indexOf('\n'));
              if (hasRule.test(route)) {
                return false;
              }
              registry.remove(entry.getValue());
              return true;
            });
  }

  /**
   * Where a replica's share of config propagation goes, per snapshot line from the operator: decode
   * and check its hash, wait for the endpoints of newly named Services, swap it in.
   */
  public void snapshotApplied(long decodeNanos, long discoveryNanos, long swapNanos) {
    applyDecode.record(decodeNanos, TimeUnit.NANOSECONDS);
    applyDiscovery.record(discoveryNanos, TimeUnit.NANOSECONDS);
    applySwap.record(swapNanos, TimeUnit.NANOSECONDS);
  }

  private static Timer applyStage(MeterRegistry registry, String stage) {
    return Timer.builder("portico.snapshot.apply")
        .description("Time to apply a snapshot from the operator, by stage")
        .tag("stage", stage)
        .register(registry);
  }

  public void snapshotRejected() {
    snapshotsRejected.increment();
  }

  public void accessLogDropped() {
    accessLogDropped.increment();
  }

  /** The registry the meters live in. */
  public MeterRegistry registry() {
    return registry;
  }

  private RouteMeters routeMeters(String route) {
    RouteMeters meters = routes.get(route);
    if (meters == null) {
      String key = routes.size() < maxTagValues || route.equals(NONE) ? route : OVERFLOW;
      meters = routes.computeIfAbsent(key, name -> new RouteMeters(registry, name));
    }
    return meters;
  }
}
