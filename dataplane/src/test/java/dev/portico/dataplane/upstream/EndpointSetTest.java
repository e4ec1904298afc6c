package dev.portico.dataplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portico.snapshot.LoadBalancerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointSetTest {
  private static final Address A = new Address("10.0.0.1", 8080);
  private static final Address B = new Address("10.0.0.2", 8080);
  private static final Address C = new Address("10.0.0.3", 8080);

  @Test
  void keptAddressesKeepTheirEndpointAndItsState() {
    EndpointSet set = new EndpointSet("default/svc:80");
    set.update(List.of(A, B));
    Endpoint a = set.find(A);
    Endpoint b = set.find(B);
    a.requestStarted();
    set.recordFailure(a, AttemptFailure.Reset);

    set.update(List.of(C, A));

    assertThat(set.find(A)).isSameAs(a);
    assertThat(a.activeRequests()).isEqualTo(1);
    assertThat(a.consecutiveFailures()).isEqualTo(1);
    assertThat(set.find(B)).isNull();
    assertThat(set.endpoints()).extracting(Endpoint::address).containsExactly(A, C);
    // An in-flight request on a removed endpoint still finishes against the same object.
    b.requestStarted();
    b.requestFinished();
    assertThat(b.activeRequests()).isZero();
  }

  @Test
  void readdedAddressStartsFresh() {
    EndpointSet set = new EndpointSet("svc");
    set.update(List.of(A));
    Endpoint first = set.find(A);
    set.update(List.of());
    set.update(List.of(A));

    assertThat(set.find(A)).isNotSameAs(first);
  }

  @Test
  void sortsDeduplicatesAndIgnoresResyncs() {
    EndpointSet set = new EndpointSet("svc");
    assertThat(set.update(List.of(C, A, B, A))).isTrue();
    long version = set.version();

    assertThat(set.endpoints()).extracting(Endpoint::address).containsExactly(A, B, C);
    assertThat(set.update(List.of(B, C, A))).isFalse();
    assertThat(set.version()).isEqualTo(version);
    assertThat(set.update(List.of(B, C))).isTrue();
    assertThat(set.version()).isEqualTo(version + 1);
    assertThat(set.size()).isEqualTo(2);
  }

  @Test
  void buildsHashTablesOnUpdateOnlyForSetsAConsistentHashBalancerUses() {
    EndpointSet hashed = new EndpointSet("hashed");
    EndpointSet plain = new EndpointSet("plain");
    Balancers.create(new LoadBalancerConfig("ConsistentHash", "x-user", null, null), hashed);
    Balancers.create(LoadBalancerConfig.ROUND_ROBIN, plain);

    hashed.update(List.of(A, B));
    plain.update(List.of(A, B));

    assertThat(hashed.view().hasMaglevTable()).isTrue();
    assertThat(plain.view().hasMaglevTable()).isFalse();
  }

  @Test
  void updatesFromAnotherThreadRaceSafelyWithPicks() throws Exception {
    // Cluster discovery updates sets on Fabric8's threads while the event loops pick from them.
    EndpointSet set = new EndpointSet("svc");
    set.update(List.of(A, B));
    Endpoint b = set.find(B);
    List<LoadBalancer> balancers =
        List.of(
            Balancers.create(LoadBalancerConfig.ROUND_ROBIN, set),
            Balancers.create(new LoadBalancerConfig("ConsistentHash", "x-user", null, null), set));
    Thread discovery =
        new Thread(
            () -> {
              for (int i = 0; i < 100; i++) {
                set.update(i % 2 == 0 ? List.of(B, C) : List.of(A, B));
              }
            });
    discovery.start();
    int picks = 0;
    while (discovery.isAlive() || picks < 1_000) {
      for (LoadBalancer balancer : balancers) {
        Endpoint picked = balancer.pick("user-" + picks);
        assertThat(picked).isNotNull();
        assertThat(picked.address()).isIn(A, B, C);
      }
      picks++;
    }
    discovery.join();

    assertThat(set.find(B)).isSameAs(b);
    assertThat(set.endpoints()).extracting(Endpoint::address).containsExactly(A, B);
    assertThat(set.version()).isEqualTo(101);
  }

  @Test
  void addressesAreValidatedAndPrintedAsAuthorities() {
    assertThat(new Address("fd00::1", 443).authority()).isEqualTo("[fd00::1]:443");
    assertThat(A.authority()).isEqualTo("10.0.0.1:8080");
    assertThatThrownBy(() -> new Address("", 80)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Address("h", 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Address("h", 65536)).isInstanceOf(IllegalArgumentException.class);
  }
}
