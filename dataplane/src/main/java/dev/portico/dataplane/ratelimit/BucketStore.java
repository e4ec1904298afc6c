package dev.portico.dataplane.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every token bucket of a data-plane process, across snapshots: bounded in size (the least recently
 * used go first) and in time (a bucket untouched until it would be full again is dropped, which
 * loses nothing: a fresh bucket is full too).
 *
 * <p>A bucket evicted by the size cap comes back full, so under a flood of distinct keys the limit
 * errs towards admitting; the {@code portico_ratelimit_buckets} gauge shows how close the store is
 * to its cap.
 */
public final class BucketStore {
  /** Default cap: about 200 bytes per bucket, so some 20 MB at most. */
  public static final int DEFAULT_MAX_BUCKETS = 100_000;

  private static final ThreadLocal<BucketKey> PROBE =
      ThreadLocal.withInitial(() -> new BucketKey(null, ""));

  private final Ticker clock;
  private final Cache<BucketKey, TokenBucket> buckets;
  private final Map<CounterSpace, CounterSpace> spaces = new ConcurrentHashMap<>();

  public BucketStore() {
    this(DEFAULT_MAX_BUCKETS, Ticker.systemTicker());
  }

  /**
   * @param clock read for every decision and for expiry; tests pass a fake one
   */
  public BucketStore(long maxBuckets, Ticker clock) {
    this.clock = clock;
    this.buckets =
        Caffeine.newBuilder()
            .maximumSize(maxBuckets)
            .expireAfter(new UntilFull())
            .ticker(clock)
            // Housekeeping on the calling thread, in small amortised steps: no pool to size.
            .executor(Runnable::run)
            .build();
  }

  /** The current clock reading, in nanoseconds. */
  public long now() {
    return clock.read();
  }

  /**
   * The one space instance for this identity and rate: the same as a previous snapshot's when
   * nothing about the limit changed, so its buckets carry over.
   */
  public CounterSpace space(String limitId, String route, BucketRate rate) {
    CounterSpace wanted = new CounterSpace(limitId, route, rate);
    return spaces.computeIfAbsent(wanted, s -> s);
  }

  /**
   * Forgets every space not in {@code live} and drops its buckets: a limit removed or changed
   * starts fresh if it comes back. Called off the request path, when a snapshot is loaded.
   */
  public void retain(Set<CounterSpace> live) {
    if (spaces.keySet().retainAll(live)) {
      buckets.asMap().keySet().removeIf(k -> !spaces.containsKey(k.space()));
    }
  }

  /** The bucket of {@code value} in {@code space}, created full at {@code nowNanos} if new. */
  public TokenBucket bucket(CounterSpace space, String value, long nowNanos) {
    BucketKey probe = PROBE.get().set(space, value);
    TokenBucket bucket = buckets.getIfPresent(probe);
    if (bucket != null) {
      return bucket;
    }
    return buckets.get(probe.copy(), k -> new TokenBucket(nowNanos));
  }

  /** Buckets held now (approximate while other threads insert). */
  public long size() {
    return buckets.estimatedSize();
  }

  /** Runs pending expiry and eviction now; for tests. */
  void cleanUp() {
    buckets.cleanUp();
  }

  /** A bucket lives until it would be full again, counted from its last use. */
  private static final class UntilFull implements Expiry<BucketKey, TokenBucket> {
    @Override
    public long expireAfterCreate(BucketKey key, TokenBucket bucket, long now) {
      return key.space().rate().maxDebtNanos();
    }

    @Override
    public long expireAfterUpdate(
        BucketKey key, TokenBucket bucket, long now, long currentDuration) {
      return key.space().rate().maxDebtNanos();
    }

    @Override
    public long expireAfterRead(BucketKey key, TokenBucket bucket, long now, long currentDuration) {
      return key.space().rate().maxDebtNanos();
    }
  }
}
