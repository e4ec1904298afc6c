package dev.portico.dataplane.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The request counter and latency histogram of one route, indexed by method and status class so
 * that recording a request allocates nothing and builds no {@link Meter.Id}.
 */
final class RouteMeters {
  private static final int STATUS_CLASSES = StatusClass.NAMES.length;

  private final MeterRegistry registry;
  private final String route;

  /** {@code [method * STATUS_CLASSES + statusClass]}, filled on first use. */
  private final AtomicReferenceArray<Counter> counters =
      new AtomicReferenceArray<>(MethodTag.NAMES.length * STATUS_CLASSES);

  private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(STATUS_CLASSES);

  /** Set once the route left the snapshot: late samples are dropped, not re-registered. */
  private volatile boolean removed;

  RouteMeters(MeterRegistry registry, String route) {
    this.registry = registry;
    this.route = route;
  }

  void record(int method, int statusClass, long durationNanos) {
    if (removed) {
      return;
    }
    int slot = method * STATUS_CLASSES + statusClass;
    Counter counter = counters.get(slot);
    if (counter == null) {
      // A race registers the same meter twice; the registry hands back the one instance.
      counter =
          Counter.builder("portico.requests")
              .description("Requests answered, by route, method and status class")
              .tag("route", route)
              .tag("method", MethodTag.NAMES[method])
              .tag("status_class", StatusClass.NAMES[statusClass])
              .register(registry);
      counters.set(slot, counter);
    }
    counter.increment();

    Timer timer = timers.get(statusClass);
    if (timer == null) {
      timer =
          Timer.builder("portico.request.duration")
              .description("Time from request received to response ended, by route")
              .tag("route", route)
              .tag("status_class", StatusClass.NAMES[statusClass])
              .publishPercentileHistogram()
              .minimumExpectedValue(Duration.ofMillis(1))
              .maximumExpectedValue(Duration.ofSeconds(60))
              .register(registry);
      timers.set(statusClass, timer);
    }
    timer.record(durationNanos, TimeUnit.NANOSECONDS);
  }

  /** Unregisters every meter of this route: its rule left the snapshot. */
  void remove() {
    removed = true;
    for (int i = 0; i < counters.length(); i++) {
      Counter counter = counters.getAndSet(i, null);
      if (counter != null) {
        registry.remove(counter);
      }
    }
    for (int i = 0; i < timers.length(); i++) {
      Timer timer = timers.getAndSet(i, null);
      if (timer != null) {
        registry.remove(timer);
      }
    }
  }
}
