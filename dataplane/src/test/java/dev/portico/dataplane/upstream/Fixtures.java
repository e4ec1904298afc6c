package dev.portico.dataplane.upstream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** Shared test helpers: addresses, sets, a fake clock, seeded randomness. */
final class Fixtures {
  private Fixtures() {}

  /** {@code 10.0.0.<first>:8080} and the following ones. */
  static List<Address> addresses(int first, int count) {
    List<Address> out = new ArrayList<>();
    for (int i = first; i < first + count; i++) {
      out.add(address(i));
    }
    return out;
  }

  static Address address(int i) {
    return new Address("10.0." + (i / 250) + "." + (i % 250 + 1), 8080);
  }

  static EndpointSet set(int count, OutlierDetector detector) {
    EndpointSet set = new EndpointSet("default/svc:80", detector);
    set.update(addresses(0, count));
    return set;
  }

  static EndpointSet set(int count) {
    return set(count, OutlierDetector.withClock(new FakeClock()));
  }

  static Supplier<RandomGenerator> seeded(long seed) {
    Random random = new Random(seed);
    return () -> random;
  }

  /** Ejects an endpoint directly, for balancer tests that are not about the detector. */
  static void eject(Endpoint endpoint, EndpointSet set, Duration duration) {
    endpoint.eject(set.nanoTime() + duration.toNanos(), 1);
  }

  static <T> Map<T, Integer> count(List<T> picks) {
    Map<T, Integer> counts = new HashMap<>();
    for (T pick : picks) {
      counts.merge(pick, 1, Integer::sum);
    }
    return counts;
  }

  /**
   * A clock that moves only when told. It starts just below the long overflow so that every test
   * also checks that deadlines are compared by subtraction, as nanoTime values must be.
   */
  static final class FakeClock implements LongSupplier {
    private long now = Long.MAX_VALUE - Duration.ofMinutes(1).toNanos();

    @Override
    public long getAsLong() {
      return now;
    }

    void advance(Duration d) {
      now += d.toNanos();
    }
  }
}
