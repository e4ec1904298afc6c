package dev.portico.dataplane.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.snapshot.ActionConfig;
import dev.portico.snapshot.BackendConfig;
import dev.portico.snapshot.DirectResponseConfig;
import dev.portico.snapshot.RuleConfig;
import dev.portico.snapshot.Snapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceBackendsTest {

  @Test
  void everyProxiedServiceOnceWithItsDistinctPorts() {
    BackendConfig web = new BackendConfig("shop/catalog", 80, "http", "http", 3);
    BackendConfig webAgain = new BackendConfig("shop/catalog", 80, "http", "http", 1);
    BackendConfig admin = new BackendConfig("shop/catalog", 9090, "admin", "9090", 1);
    BackendConfig other = new BackendConfig("team-b/reviews", 80, "", "8080", 1);
    Snapshot snapshot =
        snapshot(
            rule("shop/r/0", ActionConfig.proxy(List.of(web, other))),
            rule("shop/r/1", ActionConfig.proxy(List.of(webAgain, admin))),
            rule("shop/r/2", ActionConfig.proxy(List.of())),
            rule("shop/r/3", ActionConfig.respond(new DirectResponseConfig(200, null, null))),
            rule("shop/r/4", null));

    Map<String, List<BackendConfig>> byService = ServiceBackends.of(snapshot);

    assertThat(byService).containsOnlyKeys("shop/catalog", "team-b/reviews");
    assertThat(byService.get("shop/catalog")).containsExactly(web, admin);
    assertThat(byService.get("team-b/reviews")).containsExactly(other);
  }

  @Test
  void aRuleAddedForAKnownServicePortKeepsTheMapAndAnythingElseComputesItAgain() {
    BackendConfig web = new BackendConfig("shop/catalog", 80, "http", "http", 1);
    BackendConfig admin = new BackendConfig("shop/catalog", 9090, "admin", "9090", 1);
    BackendConfig other = new BackendConfig("team-b/reviews", 80, "", "8080", 1);
    RuleConfig a = rule("shop/a/0", ActionConfig.proxy(List.of(web)));
    RuleConfig c = rule("shop/c/0", ActionConfig.proxy(List.of(other)));
    Snapshot before = snapshot(a, c);
    Map<String, List<BackendConfig>> known = ServiceBackends.of(before);

    // A new route to a port already there: the very same map.
    Snapshot added = snapshot(a, rule("shop/b/0", ActionConfig.proxy(List.of(web))), c);
    assertThat(ServiceBackends.of(added, before.rules(), known)).isSameAs(known);

    // Another port of a known Service, or a removed rule: computed again, and right.
    Snapshot newPort = snapshot(a, rule("shop/b/0", ActionConfig.proxy(List.of(admin))), c);
    assertThat(ServiceBackends.of(newPort, before.rules(), known))
        .isEqualTo(ServiceBackends.of(newPort))
        .containsEntry("shop/catalog", List.of(web, admin));
    Snapshot removed = snapshot(a);
    assertThat(ServiceBackends.of(removed, before.rules(), known)).containsOnlyKeys("shop/catalog");
    // The same rules as new objects are not taken on trust either.
    Snapshot copied = snapshot(rule("shop/a/0", ActionConfig.proxy(List.of(admin))), c);
    assertThat(ServiceBackends.of(copied, before.rules(), known))
        .containsEntry("shop/catalog", List.of(admin));
  }

  static Snapshot snapshot(RuleConfig... rules) {
    return new Snapshot(
        "default/dp",
        "v1",
        null,
        List.of(),
        List.of(rules),
        List.of(),
        List.of(),
        null,
        null,
        null);
  }

  static RuleConfig rule(String id, ActionConfig action) {
    return new RuleConfig(
        id, "shop/r", null, null, null, action, null, null, null, List.of(), null, null);
  }
}
