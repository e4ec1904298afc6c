package dev.portico.dataplane.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * One counter per value of a single tag, created once and then found with one map lookup. Past
 * {@code maxValues} distinct values everything counts under {@link ProxyMetrics#OVERFLOW}, so a
 * caller that passes unbounded values cannot grow the registry without limit.
 */
final class TaggedCounters {
  private final MeterRegistry registry;
  private final String name;
  private final String description;
  private final String tag;
  private final int maxValues;
  private final Tags fixed;
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

  TaggedCounters(
      MeterRegistry registry, String name, String description, String tag, int maxValues) {
    this(registry, name, description, tag, maxValues, Tags.empty());
  }

  /**
   * @param fixed tags every counter of this set carries (e.g. {@code result=allowed}), so that one
   *     metric split by a second, fixed-valued tag is a few sets side by side
   */
  TaggedCounters(
      MeterRegistry registry,
      String name,
      String description,
      String tag,
      int maxValues,
      Tags fixed) {
    this.registry = registry;
    this.name = name;
    this.description = description;
    this.tag = tag;
    this.maxValues = maxValues;
    this.fixed = fixed;
  }

  void increment(String value) {
    Counter counter = counters.get(value);
    if (counter == null) {
      String key = counters.size() < maxValues ? value : ProxyMetrics.OVERFLOW;
      counter = counters.computeIfAbsent(key, this::register);
    }
    counter.increment();
  }

  /** Removes the counters of values not in {@code keep}, from this cache and from the registry. */
  void retain(Collection<String> keep) {
    Set<String> kept = new HashSet<>(keep);
    retain(kept::contains);
  }

  /** Drops the counters of the values {@code keep} refuses; "none" and the overflow stay. */
  void retain(Predicate<String> keep) {
    counters
        .entrySet()
        .removeIf(
            entry -> {
              String value = entry.getKey();
              if (keep.test(value)
                  || value.equals(ProxyMetrics.NONE)
                  || value.equals(ProxyMetrics.OVERFLOW)) {
                return false;
              }
              registry.remove(entry.getValue());
              return true;
            });
  }

  private Counter register(String value) {
    return Counter.builder(name)
        .description(description)
        .tags(fixed)
        .tag(tag, value)
        .register(registry);
  }
}
