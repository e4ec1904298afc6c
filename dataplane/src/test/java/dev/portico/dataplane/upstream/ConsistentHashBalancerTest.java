package dev.portico.dataplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConsistentHashBalancerTest {
  private static final int KEYS = 10_000;

  private static ConsistentHashBalancer balancer(EndpointSet set) {
    return new ConsistentHashBalancer(set, Fixtures.seeded(11));
  }

  /** key -> address of the endpoint it lands on. */
  private static Map<String, Address> assign(LoadBalancer lb) {
    Map<String, Address> out = new HashMap<>();
    for (int i = 0; i < KEYS; i++) {
      String key = "user-" + i;
      out.put(key, lb.pick(key).address());
    }
    return out;
  }

  private static int moved(Map<String, Address> before, Map<String, Address> after) {
    int moved = 0;
    for (Map.Entry<String, Address> e : before.entrySet()) {
      if (!e.getValue().equals(after.get(e.getKey()))) {
        moved++;
      }
    }
    return moved;
  }

  @Test
  void sameKeySameEndpoint() {
    ConsistentHashBalancer lb = balancer(Fixtures.set(10));
    Endpoint first = lb.pick("session-abc");

    for (int i = 0; i < 100; i++) {
      assertThat(lb.pick("session-abc")).isSameAs(first);
    }
    assertThat(lb.pick("session-abd")).isNotNull();
  }

  @Test
  void addingOneEndpointToTenRemapsAboutOneEleventh() {
    EndpointSet set = Fixtures.set(10);
    ConsistentHashBalancer lb = balancer(set);
    Map<String, Address> before = assign(lb);
    Address added = Fixtures.address(10);
    set.update(Fixtures.addresses(0, 11));
    Map<String, Address> after = assign(lb);

    int moved = moved(before, after);
    int movedToNew = (int) after.values().stream().filter(added::equals).count();
    // Ideal is 1/11 (9.1%), all of it to the new endpoint.
    assertThat(moved).isBetween(KEYS * 6 / 100, KEYS * 15 / 100);
    assertThat(moved - movedToNew).isLessThanOrEqualTo(KEYS * 2 / 100);
  }

  @Test
  void removingOneEndpointRemapsOnlyItsKeys() {
    EndpointSet set = Fixtures.set(10);
    ConsistentHashBalancer lb = balancer(set);
    Map<String, Address> before = assign(lb);
    Address removed = Fixtures.address(4);
    List<Address> remaining = new ArrayList<>(Fixtures.addresses(0, 10));
    remaining.remove(removed);
    set.update(remaining);
    Map<String, Address> after = assign(lb);

    int others = 0;
    int othersMoved = 0;
    for (Map.Entry<String, Address> e : before.entrySet()) {
      if (e.getValue().equals(removed)) {
        assertThat(after.get(e.getKey())).isNotEqualTo(removed);
      } else {
        others++;
        if (!e.getValue().equals(after.get(e.getKey()))) {
          othersMoved++;
        }
      }
    }
    assertThat(others).isBetween(KEYS * 85 / 100, KEYS * 95 / 100);
    assertThat(othersMoved).isLessThanOrEqualTo(others * 2 / 100);
  }

  @Test
  void keysSpreadEvenly() {
    ConsistentHashBalancer lb = balancer(Fixtures.set(10));
    Map<Address, Integer> load = Fixtures.count(new ArrayList<>(assign(lb).values()));

    assertThat(load).hasSize(10);
    int max = Collections.max(load.values());
    int min = Collections.min(load.values());
    assertThat(max / (double) min).isLessThan(1.3);
  }

  @Test
  void everyEndpointOwnsAnEqualShareOfTheTable() {
    EndpointSet set = Fixtures.set(7);
    MaglevTable table = set.view().maglevTable();
    int[] owned = new int[7];
    for (int slot = 0; slot < table.size(); slot++) {
      owned[table.endpointAt(slot)]++;
    }

    assertThat(table.size()).isEqualTo(MaglevTable.MIN_SIZE);
    int floor = table.size() / 7;
    for (int count : owned) {
      assertThat(count).isBetween(floor, floor + 1);
    }
  }

  @Test
  void tableGrowsOnlyForVeryLargeSets() {
    assertThat(MaglevTable.sizeFor(1)).isEqualTo(65537);
    assertThat(MaglevTable.sizeFor(655)).isEqualTo(65537);
    assertThat(MaglevTable.sizeFor(656)).isEqualTo(131071);
    assertThat(MaglevTable.sizeFor(5000)).isEqualTo(524287);
  }

  @Test
  void replicasAgreeWhateverOrderDiscoveryListsAddressesIn() {
    List<Address> shuffled = new ArrayList<>(Fixtures.addresses(0, 10));
    Collections.shuffle(shuffled, new Random(9));
    EndpointSet other = new EndpointSet("replica-2", OutlierDetector.defaults());
    other.update(shuffled);

    assertThat(assign(balancer(other))).isEqualTo(assign(balancer(Fixtures.set(10))));
  }

  @Test
  void ejectedHomeSpreadsItsKeysAndKeepsEveryOtherKey() {
    EndpointSet set = Fixtures.set(10);
    ConsistentHashBalancer lb = balancer(set);
    Map<String, Address> before = assign(lb);
    Endpoint ejected = set.endpoints().get(3);
    Fixtures.eject(ejected, set, Duration.ofSeconds(30));
    Map<String, Address> after = assign(lb);

    Set<Address> newHomes = new HashSet<>();
    for (Map.Entry<String, Address> e : before.entrySet()) {
      if (e.getValue().equals(ejected.address())) {
        newHomes.add(after.get(e.getKey()));
      } else {
        assertThat(after.get(e.getKey())).isEqualTo(e.getValue());
      }
    }
    assertThat(newHomes).doesNotContain(ejected.address()).hasSize(9);
  }

  @Test
  void keyReturnsHomeWhenItsEjectionEnds() {
    Fixtures.FakeClock clock = new Fixtures.FakeClock();
    EndpointSet set = Fixtures.set(5, OutlierDetector.withClock(clock));
    ConsistentHashBalancer lb = balancer(set);
    Endpoint home = lb.pick("k");
    Fixtures.eject(home, set, Duration.ofSeconds(30));
    assertThat(lb.pick("k")).isNotSameAs(home);

    clock.advance(Duration.ofSeconds(30));

    assertThat(lb.pick("k")).isSameAs(home);
  }

  @Test
  void avoidingTheHomeGivesAStableSecondChoice() {
    ConsistentHashBalancer lb = balancer(Fixtures.set(10));
    Endpoint home = lb.pick("cart-7");
    Endpoint second = lb.pick("cart-7", home);

    assertThat(second).isNotSameAs(home);
    assertThat(lb.pick("cart-7", home)).isSameAs(second);
  }

  @Test
  void panicModeKeepsTheHomeWhenAllAreEjected() {
    EndpointSet set = Fixtures.set(4);
    ConsistentHashBalancer lb = balancer(set);
    Endpoint home = lb.pick("k");
    set.endpoints().forEach(e -> Fixtures.eject(e, set, Duration.ofSeconds(30)));

    assertThat(lb.pick("k")).isSameAs(home);
  }

  @Test
  void requestWithoutKeyStillGetsAnEndpoint() {
    EndpointSet set = Fixtures.set(4);
    ConsistentHashBalancer lb = balancer(set);
    Set<Endpoint> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      seen.add(lb.pick(null));
    }

    assertThat(seen).containsExactlyInAnyOrderElementsOf(set.endpoints());
  }
}
