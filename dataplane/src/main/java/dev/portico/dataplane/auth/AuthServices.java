package dev.portico.dataplane.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * What authentication keeps across snapshots, one per data plane: the fetched JWK Sets by URL (so a
 * new snapshot does not refetch them), the bounded worker pool bcrypt runs on, the cache of
 * successful Basic checks, and the clock tokens are checked against.
 */
public final class AuthServices {
  /** bcrypt checks queued or running at once; more are refused (503) rather than queued. */
  static final int MAX_PENDING_BCRYPT = 64;

  private final WorkerExecutor bcryptPool;
  private final JwksFetcher fetcher;
  private final LongSupplier clock;
  private final Cache<String, Boolean> basicCache =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofSeconds(60)).build();
  private final AtomicInteger pendingBcrypt = new AtomicInteger();
  private Map<String, RemoteJwks> remote = new HashMap<>();

  AuthServices(WorkerExecutor bcryptPool, JwksFetcher fetcher, LongSupplier clock) {
    this.bcryptPool = bcryptPool;
    this.fetcher = fetcher;
    this.clock = clock;
  }

  /** The data plane's services: JWK Sets over HTTP(S), bcrypt on two worker threads. */
  public static AuthServices of(Vertx vertx) {
    return new AuthServices(
        vertx.createSharedWorkerExecutor("portico-bcrypt", 2),
        JwksFetcher.http(vertx),
        System::currentTimeMillis);
  }

  /** For tests: a given fetcher and clock. */
  public static AuthServices of(Vertx vertx, JwksFetcher fetcher, LongSupplier clock) {
    return new AuthServices(vertx.createSharedWorkerExecutor("portico-bcrypt", 2), fetcher, clock);
  }

  LongSupplier clock() {
    return clock;
  }

  Cache<String, Boolean> basicCache() {
    return basicCache;
  }

  /** Runs a bcrypt check on the worker pool; fails at once when too many are pending. */
  Future<Boolean> bcrypt(Callable<Boolean> check) {
    if (pendingBcrypt.incrementAndGet() > MAX_PENDING_BCRYPT) {
      pendingBcrypt.decrementAndGet();
      return Future.failedFuture(new KeysUnavailableException("too many password checks pending"));
    }
    return bcryptPool.executeBlocking(check, false).andThen(ar -> pendingBcrypt.decrementAndGet());
  }

  /**
   * The fetched keys of a JWK Set URL, shared by every snapshot that names it with the same
   * intervals; {@code next} collects what the snapshot being prepared uses.
   */
  synchronized RemoteJwks remote(
      String uri, long refreshMillis, long cooldownMillis, Map<String, RemoteJwks> next) {
    String key = uri + "|" + refreshMillis + "|" + cooldownMillis;
    RemoteJwks jwks = next.get(key);
    if (jwks == null) {
      jwks = remote.get(key);
    }
    if (jwks == null) {
      jwks = new RemoteJwks(uri, refreshMillis, cooldownMillis, fetcher, clock);
    }
    next.put(key, jwks);
    return jwks;
  }

  /** Keeps only the JWK Sets the snapshot just prepared names. */
  synchronized void retain(Map<String, RemoteJwks> used) {
    remote = new HashMap<>(used);
  }
}
