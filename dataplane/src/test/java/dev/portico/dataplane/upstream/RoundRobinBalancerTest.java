package dev.portico.dataplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoundRobinBalancerTest {
  private static List<Endpoint> picks(LoadBalancer lb, int count) {
    List<Endpoint> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(lb.pick(null));
    }
    return out;
  }

  @Test
  void cyclesThroughEveryEndpointInTurn() {
    EndpointSet set = Fixtures.set(3);
    List<Endpoint> picks = picks(new RoundRobinBalancer(set, 0), 300);

    for (int i = 0; i + 3 <= picks.size(); i += 3) {
      assertThat(new HashSet<>(picks.subList(i, i + 3))).hasSize(3);
    }
    assertThat(Fixtures.count(picks).values()).containsOnly(100);
    assertThat(picks.get(0)).isSameAs(set.endpoints().get(0));
  }

  @Test
  void staysEvenWhereAnIntCounterWouldWrap() {
    EndpointSet set = Fixtures.set(3);
    List<Endpoint> picks = picks(new RoundRobinBalancer(set, Integer.MAX_VALUE - 4), 30);
    List<Endpoint> fromNegative = picks(new RoundRobinBalancer(set, -7), 30);

    assertThat(Fixtures.count(picks).values()).containsOnly(10);
    assertThat(Fixtures.count(fromNegative).values()).containsOnly(10);
  }

  @Test
  void ejectedEndpointsShareTheirTurnsEvenly() {
    EndpointSet set = Fixtures.set(4);
    Fixtures.eject(set.endpoints().get(1), set, Duration.ofSeconds(30));
    Map<Endpoint, Integer> counts = Fixtures.count(picks(new RoundRobinBalancer(set, 0), 300));

    assertThat(counts).doesNotContainKey(set.endpoints().get(1));
    assertThat(counts.values()).containsOnly(100);
  }

  @Test
  void avoidsTheEndpointOfThePreviousAttempt() {
    EndpointSet set = Fixtures.set(2);
    RoundRobinBalancer lb = new RoundRobinBalancer(set, 0);
    Endpoint first = set.endpoints().get(0);

    for (int i = 0; i < 10; i++) {
      assertThat(lb.pick(null, first)).isSameAs(set.endpoints().get(1));
    }
  }

  @Test
  void avoidedEndpointIsUsedWhenItIsTheOnlyHealthyOne() {
    EndpointSet set = Fixtures.set(2);
    Fixtures.eject(set.endpoints().get(1), set, Duration.ofSeconds(30));
    Endpoint healthy = set.endpoints().get(0);

    assertThat(new RoundRobinBalancer(set, 0).pick(null, healthy)).isSameAs(healthy);
  }

  @Test
  void panicModeCyclesThroughAllWhenAllAreEjected() {
    EndpointSet set = Fixtures.set(3);
    set.endpoints().forEach(e -> Fixtures.eject(e, set, Duration.ofSeconds(30)));

    assertThat(Fixtures.count(picks(new RoundRobinBalancer(set, 0), 30)).values())
        .containsExactlyInAnyOrder(10, 10, 10);
  }

  @Test
  void followsDiscoveryUpdatesWithoutRebuilding() {
    EndpointSet set = Fixtures.set(2);
    RoundRobinBalancer lb = new RoundRobinBalancer(set, 0);
    set.update(Fixtures.addresses(5, 3));

    assertThat(new HashSet<>(picks(lb, 30))).containsExactlyInAnyOrderElementsOf(set.endpoints());
  }
}
