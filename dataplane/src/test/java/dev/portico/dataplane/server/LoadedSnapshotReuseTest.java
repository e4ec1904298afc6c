package dev.portico.dataplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.dataplane.proxy.EndpointRegistry;
import dev.portico.dataplane.ratelimit.BucketStore;
import dev.portico.dataplane.ratelimit.RateLimiter;
import dev.portico.dataplane.routing.MapRequestView;
import dev.portico.snapshot.ActionConfig;
import dev.portico.snapshot.BackendConfig;
import dev.portico.snapshot.ListenerConfig;
import dev.portico.snapshot.MatchConfig;
import dev.portico.snapshot.ProxySettingsConfig;
import dev.portico.snapshot.RouteEntry;
import dev.portico.snapshot.RuleConfig;
import dev.portico.snapshot.Snapshot;
import dev.portico.snapshot.VirtualHost;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A snapshot that shares objects with the one served (a patched delta) reuses what was built from
 * them, and rebuilds what changed: the unchanged rule keeps its balancers, the changed one does
 * not, and routing reflects the new snapshot only.
 */
class LoadedSnapshotReuseTest {
  private static final ProxySettingsConfig PROXY =
      new ProxySettingsConfig(1, true, false, 8192, 100, 4096, 0, 10_000, 60_000, 1_000, 15_000);

  private static RuleConfig rule(String id, String service) {
    return new RuleConfig(
        id,
        "ns/r",
        null,
        null,
        null,
        ActionConfig.proxy(List.of(new BackendConfig(service, 80, "http", "8080", 1))),
        null,
        null,
        null,
        List.of(),
        null,
        null);
  }

  private static VirtualHost host(String name, String path, String rule) {
    return new VirtualHost(
        name,
        List.of(
            new RouteEntry(
                new MatchConfig(MatchConfig.PathType.PathPrefix, path, null, List.of(), List.of()),
                rule)));
  }

  private static Snapshot snapshot(List<VirtualHost> hosts, List<RuleConfig> rules) {
    return new Snapshot(
        "ns/edge",
        "v",
        PROXY,
        List.of(new ListenerConfig("http", 8080, "HTTP", List.of(), hosts)),
        rules,
        List.of(),
        List.of(),
        null,
        null,
        null);
  }

  @Test
  void sharedObjectsAreReusedAndChangedOnesRebuilt() {
    EndpointRegistry registry = new EndpointRegistry();
    RateLimiter limiter = new RateLimiter(new BucketStore(), null);
    RuleConfig kept = rule("ns/r/0", "ns/a");
    VirtualHost keptHost = host("a.example.com", "/a", "ns/r/0");
    LoadedSnapshot first =
        LoadedSnapshot.load(
            snapshot(
                List.of(keptHost, host("b.example.com", "/b", "ns/r/1")),
                List.of(kept, rule("ns/r/1", "ns/b"))),
            registry,
            limiter,
            null);
    LoadedSnapshot second =
        LoadedSnapshot.load(
            snapshot(
                List.of(keptHost, host("b.example.com", "/c", "ns/r/1")),
                List.of(kept, rule("ns/r/1", "ns/c"))),
            registry,
            limiter,
            first);
    assertThat(second.backends("ns/r/0")).isSameAs(first.backends("ns/r/0"));
    assertThat(second.backends("ns/r/1")).isNotSameAs(first.backends("ns/r/1"));
    assertThat(second.backends("ns/r/1").rule().action().backends().get(0).service())
        .isEqualTo("ns/c");
    assertThat(second.table(8080).match("a.example.com", MapRequestView.of("GET", "/a/x")))
        .isNotNull();
    assertThat(second.table(8080).match("b.example.com", MapRequestView.of("GET", "/b/x")))
        .isNull();
    assertThat(second.table(8080).match("b.example.com", MapRequestView.of("GET", "/c/x")))
        .isNotNull();
  }

  private static RouteEntry entry(String path, String rule) {
    return new RouteEntry(
        new MatchConfig(MatchConfig.PathType.PathPrefix, path, null, List.of(), List.of()), rule);
  }

  @Test
  void aDeltaLikeSnapshotPreparesOnlyTheRulesItChanged() {
    EndpointRegistry registry = new EndpointRegistry();
    RateLimiter limiter = new RateLimiter(new BucketStore(), null);
    RuleConfig r0 = rule("ns/r/0", "ns/a");
    RuleConfig r1 = rule("ns/r/1", "ns/b");
    RuleConfig r2 = rule("ns/r/2", "ns/c");
    RouteEntry e0 = entry("/zero", "ns/r/0");
    RouteEntry e1 = entry("/one", "ns/r/1");
    RouteEntry e2 = entry("/two", "ns/r/2");
    LoadedSnapshot first =
        LoadedSnapshot.load(
            snapshot(List.of(new VirtualHost("*", List.of(e0, e1, e2))), List.of(r0, r1, r2)),
            registry,
            limiter,
            null);

    // r1 removed, r2 changed under the same id, r15 new between them; r0 the very same object.
    RuleConfig r2changed = rule("ns/r/2", "ns/d");
    RuleConfig r15 = rule("ns/r/15", "ns/e");
    RouteEntry e15 = entry("/fifteen", "ns/r/15");
    LoadedSnapshot second =
        LoadedSnapshot.load(
            snapshot(
                List.of(new VirtualHost("*", List.of(e0, e15, e2))), List.of(r0, r15, r2changed)),
            registry,
            limiter,
            first);
    assertThat(second.backends("ns/r/0")).isSameAs(first.backends("ns/r/0"));
    assertThat(second.rule("ns/r/1")).isNull();
    assertThat(second.backends("ns/r/1")).isNull();
    assertThat(second.table(8080).match(null, MapRequestView.of("GET", "/one"))).isNull();
    assertThat(second.rule("ns/r/2")).isSameAs(r2changed);
    assertThat(second.backends("ns/r/2")).isNotSameAs(first.backends("ns/r/2"));
    assertThat(second.backends("ns/r/2").rule()).isSameAs(r2changed);
    assertThat(second.backends("ns/r/15").rule()).isSameAs(r15);
    assertThat(second.table(8080).match(null, MapRequestView.of("GET", "/fifteen")).rule())
        .isEqualTo("ns/r/15");
    // The served snapshot is untouched: in-flight requests still see what they started with.
    assertThat(first.rule("ns/r/1")).isSameAs(r1);
    assertThat(first.backends("ns/r/2").rule()).isSameAs(r2);
    assertThat(first.backends("ns/r/15")).isNull();
    assertThat(first.table(8080).match(null, MapRequestView.of("GET", "/one")).rule())
        .isEqualTo("ns/r/1");

    // Rules out of id order (a hand-made snapshot) are loaded whole, last of an id winning.
    RuleConfig r0again = rule("ns/r/0", "ns/f");
    LoadedSnapshot third =
        LoadedSnapshot.load(
            snapshot(List.of(new VirtualHost("*", List.of(e0))), List.of(r2changed, r0, r0again)),
            registry,
            limiter,
            second);
    assertThat(third.rule("ns/r/0")).isSameAs(r0again);
    assertThat(third.backends("ns/r/0").rule()).isSameAs(r0again);
    assertThat(third.rule("ns/r/15")).isNull();
    assertThat(third.backends("ns/r/2")).isSameAs(second.backends("ns/r/2"));
  }
}
