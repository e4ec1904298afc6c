package dev.portico.dataplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portico.snapshot.LoadBalancerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class BalancersTest {
  private static final LoadBalancerConfig LEAST =
      new LoadBalancerConfig("LeastRequest", null, null, null);
  private static final LoadBalancerConfig HASH =
      new LoadBalancerConfig("ConsistentHash", null, "session", null);

  @Test
  void buildsTheConfiguredKind() {
    EndpointSet set = Fixtures.set(3);

    assertThat(Balancers.create(null, set)).isInstanceOf(RoundRobinBalancer.class);
    assertThat(Balancers.create(LoadBalancerConfig.ROUND_ROBIN, set))
        .isInstanceOf(RoundRobinBalancer.class);
    assertThat(Balancers.create(LEAST, set)).isInstanceOf(LeastRequestBalancer.class);
    assertThat(Balancers.create(HASH, set)).isInstanceOf(ConsistentHashBalancer.class);
    assertThat(Balancers.create(HASH, set).endpoints()).isSameAs(set);
  }

  @Test
  void unknownKindIsRefused() {
    assertThatThrownBy(
            () ->
                Balancers.create(
                    new LoadBalancerConfig("Random", null, null, null), Fixtures.set(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Random");
  }

  @Test
  void emptySetGivesNullAndTheSameBalancerSeesLaterEndpoints() {
    for (LoadBalancerConfig config : List.of(LoadBalancerConfig.ROUND_ROBIN, LEAST, HASH)) {
      EndpointSet set = new EndpointSet("svc");
      LoadBalancer lb = Balancers.create(config, set, Fixtures.seeded(2));
      assertThat(lb.pick("k")).as(config.type()).isNull();

      set.update(Fixtures.addresses(0, 1));
      assertThat(lb.pick("k")).as(config.type()).isSameAs(set.endpoints().get(0));

      set.update(List.of());
      assertThat(lb.pick("k")).as(config.type()).isNull();
    }
  }
}
