package dev.portico.dataplane.ratelimit.global;

import dev.portico.snapshot.RedisConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data plane's Redis clients across snapshots: one {@link RedisRateLimiter} for the store the
 * served snapshot names, kept (with its pooled connections and circuit) for as long as the settings
 * stay the same. A snapshot with other settings gets a new client once it is being served; the old
 * one is closed after the drain time, so requests still waiting on it finish.
 */
public final class RedisStores implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisStores.class);

  private final Vertx vertx;
  private final MeterRegistry registry;
  private final long retireAfterMillis;
  private RedisConfig servedConfig;
  private RedisRateLimiter served;
  private RedisConfig pendingConfig;
  private RedisRateLimiter pending;

  /**
   * @param registry null for no metrics
   * @param retireAfterMillis how long a replaced client stays open for requests still using it
   */
  public RedisStores(Vertx vertx, MeterRegistry registry, long retireAfterMillis) {
    this.vertx = vertx;
    this.registry = registry;
    this.retireAfterMillis = retireAfterMillis;
  }

  /** The client for {@code config} (null: none), created when no client has these settings. */
  public synchronized RedisRateLimiter limiterFor(RedisConfig config) {
    if (config == null) {
      return null;
    }
    if (config.equals(servedConfig)) {
      return served;
    }
    if (config.equals(pendingConfig)) {
      return pending;
    }
    if (pending != null) {
      pending.close(); // prepared for a snapshot that was never served
    }
    pendingConfig = config;
    pending = open(config);
    return pending;
  }

  /** The snapshot naming {@code config} is being served: its client stays, any other goes. */
  public synchronized void served(RedisConfig config) {
    if (Objects.equals(config, servedConfig)) {
      return;
    }
    retire(served);
    if (config != null && config.equals(pendingConfig)) {
      served = pending;
    } else {
      served = config == null ? null : open(config);
    }
    servedConfig = config;
    pending = null;
    pendingConfig = null;
  }

  private RedisRateLimiter open(RedisConfig config) {
    RedisRateLimiter.Settings d = RedisRateLimiter.Settings.DEFAULTS;
    RedisRateLimiter limiter =
        new RedisRateLimiter(
            vertx,
            config.connectionString(),
            config.username(),
            config.password(),
            new RedisRateLimiter.Settings(
                Duration.ofMillis(config.timeoutMillis()),
                d.maxFailures(),
                d.openFor(),
                d.maxPoolSize()),
            registry);
    limiter
        .ready()
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                LOG.info("Global rate limits count in Redis at {}", config.connectionString());
              } else {
                LOG.warn(
                    "Redis at {} cannot be reached ({}); Global rate limits follow their failure"
                        + " policy until it can",
                    config.connectionString(),
                    ar.cause().getMessage());
              }
            });
    return limiter;
  }

  private void retire(RedisRateLimiter limiter) {
    if (limiter != null) {
      vertx.setTimer(Math.max(1, retireAfterMillis), id -> limiter.close());
    }
  }

  @Override
  public synchronized void close() {
    if (served != null) {
      served.close();
    }
    if (pending != null) {
      pending.close();
    }
    served = pending = null;
    servedConfig = pendingConfig = null;
  }
}
