package dev.portico.dataplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutlierDetectorTest {
  private final Fixtures.FakeClock clock = new Fixtures.FakeClock();
  private EndpointSet set;
  private Endpoint e;

  @BeforeEach
  void setUp() {
    set = Fixtures.set(10, OutlierDetector.withClock(clock));
    e = set.endpoints().get(0);
  }

  private boolean fail(Endpoint endpoint, int times) {
    boolean ejected = false;
    for (int i = 0; i < times; i++) {
      ejected = set.recordFailure(endpoint, AttemptFailure.Status503);
    }
    return ejected;
  }

  private boolean ejected(Endpoint endpoint) {
    return endpoint.isEjected(clock.getAsLong());
  }

  @Test
  void ejectsAfterFiveConsecutiveFailures() {
    assertThat(fail(e, 4)).isFalse();
    assertThat(ejected(e)).isFalse();

    assertThat(set.recordFailure(e, AttemptFailure.ConnectFailure)).isTrue();
    assertThat(ejected(e)).isTrue();
    assertThat(e.ejections()).isEqualTo(1);
    assertThat(e.consecutiveFailures()).isZero();
  }

  @Test
  void successResetsTheCount() {
    fail(e, 4);
    set.recordSuccess(e);
    fail(e, 4);

    assertThat(ejected(e)).isFalse();
    assertThat(e.consecutiveFailures()).isEqualTo(4);
  }

  @Test
  void ejectionEndsByItselfWhenItsTimeHasPassed() {
    fail(e, 5);
    clock.advance(Duration.ofSeconds(30).minusNanos(1));
    assertThat(ejected(e)).isTrue();

    clock.advance(Duration.ofNanos(1));
    assertThat(ejected(e)).isFalse();
  }

  @Test
  void repeatedEjectionsGrowUpToTheCap() {
    long[] expectedSeconds = {30, 60, 120, 240, 300, 300};
    for (long seconds : expectedSeconds) {
      assertThat(fail(e, 5)).isTrue();
      clock.advance(Duration.ofSeconds(seconds).minusNanos(1));
      assertThat(ejected(e)).as("still out before %ds", seconds).isTrue();
      clock.advance(Duration.ofNanos(1));
      assertThat(ejected(e)).as("back after %ds", seconds).isFalse();
    }
    assertThat(set.outliers().ejectionDuration(40)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void timeBackInServiceDecaysTheEjectionCount() {
    fail(e, 5);
    clock.advance(Duration.ofSeconds(30));
    fail(e, 5);
    clock.advance(Duration.ofSeconds(60));
    assertThat(e.ejections()).isEqualTo(2);

    // One base interval in service forgives one ejection: the next lasts 60s, not 120s.
    clock.advance(Duration.ofSeconds(30));
    fail(e, 5);
    assertThat(e.ejections()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(60));
    assertThat(ejected(e)).isFalse();

    // Long enough forgives everything.
    clock.advance(Duration.ofMinutes(10));
    fail(e, 5);
    assertThat(e.ejections()).isEqualTo(1);
  }

  @Test
  void failuresWhileEjectedDoNotCount() {
    fail(e, 5);
    fail(e, 20);
    clock.advance(Duration.ofSeconds(30));

    assertThat(e.consecutiveFailures()).isZero();
    assertThat(set.recordFailure(e, AttemptFailure.Reset)).isFalse();
    assertThat(ejected(e)).isFalse();
  }

  @Test
  void neverEjectsMoreThanHalfTheSet() {
    for (Endpoint endpoint : set.endpoints()) {
      fail(endpoint, 5);
    }
    List<Endpoint> out = set.endpoints().stream().filter(this::ejected).toList();
    assertThat(out).hasSize(5);

    // The others stay at the threshold and go out as soon as there is room.
    clock.advance(Duration.ofSeconds(30));
    Endpoint waiting = set.endpoints().stream().filter(x -> !out.contains(x)).findFirst().get();
    assertThat(set.recordFailure(waiting, AttemptFailure.Status502)).isTrue();
  }

  @Test
  void singleEndpointIsNeverEjectedAtHalf() {
    EndpointSet single = Fixtures.set(1, OutlierDetector.withClock(clock));
    Endpoint only = single.endpoints().get(0);
    for (int i = 0; i < 10; i++) {
      single.recordFailure(only, AttemptFailure.Status504);
    }

    assertThat(ejected(only)).isFalse();
  }

  @Test
  void removedEndpointIsNotEjected() {
    Endpoint removed = set.find(Fixtures.address(9));
    set.update(Fixtures.addresses(0, 9));
    assertThat(set.find(Fixtures.address(9))).isNull();

    assertThat(fail(removed, 5)).isFalse();
  }

  @Test
  void panicModeServesEveryoneWhenAllAreEjected() {
    OutlierDetector everyone =
        new OutlierDetector(2, Duration.ofSeconds(30), Duration.ofMinutes(5), 100, clock);
    EndpointSet small = Fixtures.set(3, everyone);
    for (Endpoint endpoint : small.endpoints()) {
      small.recordFailure(endpoint, AttemptFailure.Reset);
      small.recordFailure(endpoint, AttemptFailure.Reset);
    }
    assertThat(small.endpoints()).allMatch(this::ejected);

    for (LoadBalancer lb :
        List.of(
            new RoundRobinBalancer(small, 0),
            new LeastRequestBalancer(small, Fixtures.seeded(1)),
            new ConsistentHashBalancer(small, Fixtures.seeded(1)))) {
      Set<Endpoint> seen = new HashSet<>();
      for (int i = 0; i < 100; i++) {
        Endpoint picked = lb.pick("key-" + i);
        assertThat(picked).isNotNull();
        seen.add(picked);
      }
      assertThat(seen).as(lb.getClass().getSimpleName()).hasSize(3);
    }
  }
}
