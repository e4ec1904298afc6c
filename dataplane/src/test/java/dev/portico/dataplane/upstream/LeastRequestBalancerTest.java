package dev.portico.dataplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeastRequestBalancerTest {
  private static final int PICKS = 100_000;

  private static Map<Endpoint, Integer> run(LoadBalancer lb, int picks) {
    Map<Endpoint, Integer> counts = new HashMap<>();
    for (int i = 0; i < picks; i++) {
      counts.merge(lb.pick(null), 1, Integer::sum);
    }
    return counts;
  }

  private static void load(Endpoint e, int active) {
    for (int i = 0; i < active; i++) {
      e.requestStarted();
    }
  }

  @Test
  void prefersLessLoadedEndpoints() {
    EndpointSet set = Fixtures.set(4);
    List<Endpoint> es = set.endpoints();
    load(es.get(1), 5);
    load(es.get(2), 10);
    load(es.get(3), 20);

    Map<Endpoint, Integer> counts = run(new LeastRequestBalancer(set, Fixtures.seeded(3)), PICKS);

    // Six equally likely pairs; the less loaded member of each wins: 3/6, 2/6, 1/6, 0/6.
    assertThat(counts.getOrDefault(es.get(0), 0) / (double) PICKS).isCloseTo(3 / 6.0, within(0.01));
    assertThat(counts.getOrDefault(es.get(1), 0) / (double) PICKS).isCloseTo(2 / 6.0, within(0.01));
    assertThat(counts.getOrDefault(es.get(2), 0) / (double) PICKS).isCloseTo(1 / 6.0, within(0.01));
    assertThat(counts).doesNotContainKey(es.get(3));
  }

  @Test
  void equalLoadSpreadsEvenly() {
    EndpointSet set = Fixtures.set(5);
    Map<Endpoint, Integer> counts = run(new LeastRequestBalancer(set, Fixtures.seeded(4)), PICKS);

    assertThat(counts.values()).allSatisfy(c -> assertThat(c).isBetween(19_000, 21_000));
  }

  @Test
  void finishedRequestsCountNoMore() {
    EndpointSet set = Fixtures.set(2);
    Endpoint busy = set.endpoints().get(0);
    load(busy, 3);
    LeastRequestBalancer lb = new LeastRequestBalancer(set, Fixtures.seeded(5));
    assertThat(lb.pick(null)).isNotSameAs(busy);

    for (int i = 0; i < 3; i++) {
      busy.requestFinished();
    }
    load(set.endpoints().get(1), 1);

    assertThat(lb.pick(null)).isSameAs(busy);
  }

  @Test
  void skipsEjectedEndpointsEvenWhenIdle() {
    EndpointSet set = Fixtures.set(3);
    List<Endpoint> es = set.endpoints();
    load(es.get(1), 50);
    load(es.get(2), 50);
    Fixtures.eject(es.get(0), set, Duration.ofSeconds(30));

    assertThat(run(new LeastRequestBalancer(set, Fixtures.seeded(6)), 10_000))
        .doesNotContainKey(es.get(0));
  }

  @Test
  void panicModeStillPrefersTheLessLoaded() {
    EndpointSet set = Fixtures.set(2);
    set.endpoints().forEach(e -> Fixtures.eject(e, set, Duration.ofSeconds(30)));
    load(set.endpoints().get(0), 1);

    assertThat(new LeastRequestBalancer(set, Fixtures.seeded(7)).pick(null))
        .isSameAs(set.endpoints().get(1));
  }

  @Test
  void avoidsThePreviousEndpointEvenIfItIsIdle() {
    EndpointSet set = Fixtures.set(3);
    Endpoint idle = set.endpoints().get(0);
    load(set.endpoints().get(1), 9);
    load(set.endpoints().get(2), 9);
    LeastRequestBalancer lb = new LeastRequestBalancer(set, Fixtures.seeded(8));

    for (int i = 0; i < 1000; i++) {
      assertThat(lb.pick(null, idle)).isNotSameAs(idle);
    }
  }
}
