package dev.portico.dataplane.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code portico_ratelimit_requests_total{limit, result}}: the two counters (allowed, limited) of
 * each limit, created once and found with one map lookup. Limit ids come from the snapshot and are
 * capped like route tags; past the cap they count under {@link ProxyMetrics#OVERFLOW}.
 */
final class RateLimitMeters {
  private final MeterRegistry registry;
  private final int maxValues;
  private final ConcurrentHashMap<String, Counter[]> counters = new ConcurrentHashMap<>();

  RateLimitMeters(MeterRegistry registry, int maxValues) {
    this.registry = registry;
    this.maxValues = maxValues;
  }

  void record(String limit, boolean allowed) {
    Counter[] pair = counters.get(limit);
    if (pair == null) {
      String key = counters.size() < maxValues ? limit : ProxyMetrics.OVERFLOW;
      pair = counters.computeIfAbsent(key, this::register);
    }
    pair[allowed ? 0 : 1].increment();
  }

  /** Removes the counters of limits not in {@code keep}. */
  void retain(Collection<String> keep) {
    Set<String> kept = new HashSet<>(keep);
    kept.add(ProxyMetrics.OVERFLOW);
    counters
        .entrySet()
        .removeIf(
            entry -> {
              if (kept.contains(entry.getKey())) {
                return false;
              }
              for (Counter c : entry.getValue()) {
                registry.remove(c);
              }
              return true;
            });
  }

  private Counter[] register(String limit) {
    return new Counter[] {counter(limit, "allowed"), counter(limit, "limited")};
  }

  private Counter counter(String limit, String result) {
    return Counter.builder("portico.ratelimit.requests")
        .description("Requests a rate limit admitted (allowed) or refused with 429 (limited)")
        .tag("limit", limit)
        .tag("result", result)
        .register(registry);
  }
}
