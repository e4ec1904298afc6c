package dev.portico.dataplane.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.snapshot.ListenerConfig;
import dev.portico.snapshot.MatchConfig;
import dev.portico.snapshot.RouteEntry;
import dev.portico.snapshot.VirtualHost;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random edit sequences as deltas make them (entries inserted, removed or changed in the middle of
 * a virtual host, the other entries the very same objects): every table indexed from the previous
 * one must answer exactly as {@link ReferenceMatcher} does over the new list, and must have reused
 * the prepared routes of the entries it kept.
 */
class RouteTablePatchPropertyTest {
  private static final String[] HOSTS = {"a.example.com", "*.example.com", "*"};
  private static final String[] REQUEST_HOSTS = {"a.example.com", "b.example.com", "other.org"};

  @ParameterizedTest
  @ValueSource(longs = {7L, 99L, 31337L})
  void tablesIndexedFromThePreviousOneAgreeWithTheReference(long seed) {
    Random random = new Random(seed);
    List<List<RouteEntry>> lists = new ArrayList<>();
    for (String ignored : HOSTS) {
      List<RouteEntry> routes = new ArrayList<>();
      for (int i = random.nextInt(30); i > 0; i--) {
        routes.add(RouteTablePropertyTest.entry(random, "ns/r" + random.nextInt(1000) + "/0"));
      }
      lists.add(routes);
    }
    List<VirtualHost> hosts = hosts(lists, null);
    RouteTable.IndexedHosts before = new RouteTable.IndexedHosts();
    RouteTable.of(listener(hosts), new RouteTable.IndexedHosts(), before);
    int reused = 0;
    for (int step = 0; step < 300; step++) {
      int h = random.nextInt(HOSTS.length);
      edit(random, lists.get(h), step);
      List<VirtualHost> next = hosts(lists, hosts);
      ListenerConfig listener = listener(next);
      RouteTable.IndexedHosts after = new RouteTable.IndexedHosts();
      RouteTable table = RouteTable.of(listener, before, after);
      for (int q = 0; q < 60; q++) {
        String host = REQUEST_HOSTS[random.nextInt(REQUEST_HOSTS.length)];
        MapRequestView request = RouteTablePropertyTest.request(random);
        ReferenceMatcher.Hit expected = ReferenceMatcher.match(listener, host, request);
        RouteMatch actual = table.match(host, request);
        String where = "seed " + seed + " step " + step + " request " + q;
        if (expected == null) {
          assertThat(actual).as(where).isNull();
        } else {
          assertThat(actual).as(where).isNotNull();
          assertThat(actual.entry()).as(where).isSameAs(expected.entry());
          assertThat(actual.virtualHost()).as(where).isEqualTo(expected.virtualHost());
        }
      }
      reused += reusedRoutes(before, after, HOSTS[h]);
      before = after;
      hosts = next;
    }
    assertThat(reused).as("prepared routes carried over").isGreaterThan(1000);
  }

  @Test
  void anEntryInsertedInTheMiddleTakesItsPlaceInPrecedence() {
    RouteEntry api = Routes.prefix("/api", "ns/api/0");
    RouteEntry root = Routes.prefix("/", "ns/root/0");
    RouteEntry v1 = Routes.prefix("/api/v1", "ns/v1/0");
    RouteEntry exactV1 = Routes.exact("/api/v1", "ns/exact/0");
    RouteTable.IndexedHosts first = new RouteTable.IndexedHosts();
    RouteTable.of(listener(List.of(Routes.vhost("*", api, root))), first, first);

    // Precedence is list order: a longer prefix put before /api wins, one put after it loses.
    RouteEntry late = Routes.prefix("/api/late", "ns/late/0");
    RouteEntry postOnly =
        Routes.withConditions(Routes.prefix("/api", "ns/post/0"), "POST", List.of(), List.of());
    RouteTable.IndexedHosts second = new RouteTable.IndexedHosts();
    RouteTable table =
        RouteTable.of(
            listener(List.of(Routes.vhost("*", exactV1, postOnly, v1, api, late, root))),
            first,
            second);
    assertThat(table.match(null, MapRequestView.of("GET", "/api/v1")).entry()).isSameAs(exactV1);
    assertThat(table.match(null, MapRequestView.of("POST", "/api/x")).entry()).isSameAs(postOnly);
    assertThat(table.match(null, MapRequestView.of("GET", "/api/x")).entry()).isSameAs(api);
    assertThat(table.match(null, MapRequestView.of("GET", "/api/v1/x")).entry()).isSameAs(v1);
    assertThat(table.match(null, MapRequestView.of("GET", "/api/late/x")).entry()).isSameAs(api);
    assertThat(second.named("http\n*").all[5]).isSameAs(first.named("http\n*").all[1]);

    // Removed: no longer matched, and its bucket does not keep it.
    RouteTable.IndexedHosts third = new RouteTable.IndexedHosts();
    table = RouteTable.of(listener(List.of(Routes.vhost("*", exactV1, api, root))), second, third);
    assertThat(table.match(null, MapRequestView.of("POST", "/api/x")).entry()).isSameAs(api);
    assertThat(table.match(null, MapRequestView.of("GET", "/api/v1/x")).entry()).isSameAs(api);
  }

  @Test
  void insertionsAtOneSpotPastTheGapRenumberTheHost() {
    RouteEntry last = Routes.prefix("/", "ns/last/0");
    List<RouteEntry> routes = new ArrayList<>(List.of(Routes.prefix("/first", "ns/first/0"), last));
    RouteTable.IndexedHosts before = new RouteTable.IndexedHosts();
    RouteTable.of(listener(List.of(new VirtualHost("*", routes))), before, before);
    for (int i = 0; i < 40; i++) {
      routes.add(1, Routes.prefix("/p" + i, "ns/p" + i + "/0")); // always right after the first
      RouteTable.IndexedHosts after = new RouteTable.IndexedHosts();
      RouteTable table =
          RouteTable.of(listener(List.of(new VirtualHost("*", routes))), before, after);
      for (int p = 0; p <= i; p++) {
        assertThat(table.match(null, MapRequestView.of("GET", "/p" + p)).rule())
            .isEqualTo("ns/p" + p + "/0");
      }
      assertThat(table.match(null, MapRequestView.of("GET", "/other")).entry()).isSameAs(last);
      CompiledRoute[] all = after.named("http\n*").all;
      for (int k = 1; k < all.length; k++) {
        assertThat(all[k].ordinal).isGreaterThan(all[k - 1].ordinal);
      }
      before = after;
    }
  }

  /** Inserts, removes or changes a few entries somewhere, mostly at one spot to use up gaps. */
  private static void edit(Random random, List<RouteEntry> routes, int step) {
    int at =
        routes.isEmpty()
            ? 0
            : random.nextInt(4) == 0 ? routes.size() / 2 : random.nextInt(routes.size() + 1);
    switch (random.nextInt(4)) {
      case 0, 1 -> {
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
          routes.add(at, RouteTablePropertyTest.entry(random, "ns/new" + step + "/" + i));
        }
      }
      case 2 -> {
        for (int i = 1 + random.nextInt(2); i > 0 && at < routes.size(); i--) {
          routes.remove(at);
        }
      }
      default -> {
        if (at < routes.size()) {
          RouteEntry old = routes.get(at);
          MatchConfig fresh = RouteTablePropertyTest.entry(random, old.rule()).match();
          routes.set(at, new RouteEntry(fresh, old.rule())); // same rule id, another match
        }
      }
    }
  }

  /** The hosts of {@code lists}, keeping the previous object of each host whose list is equal. */
  private static List<VirtualHost> hosts(List<List<RouteEntry>> lists, List<VirtualHost> previous) {
    List<VirtualHost> hosts = new ArrayList<>();
    for (int i = 0; i < HOSTS.length; i++) {
      VirtualHost old = previous == null ? null : previous.get(i);
      hosts.add(
          old != null && old.routes().equals(lists.get(i))
              ? old
              : new VirtualHost(HOSTS[i], lists.get(i)));
    }
    return hosts;
  }

  private static ListenerConfig listener(List<VirtualHost> hosts) {
    return new ListenerConfig("http", 8080, "HTTP", List.of(), hosts);
  }

  /** How many of the host's prepared routes the new index took over as they were. */
  private static int reusedRoutes(
      RouteTable.IndexedHosts before, RouteTable.IndexedHosts after, String host) {
    HostRoutes old = before.named("http\n" + host);
    HostRoutes now = after.named("http\n" + host);
    int count = 0;
    for (CompiledRoute r : now.all) {
      for (CompiledRoute o : old.all) {
        if (r == o) {
          count++;
          break;
        }
      }
    }
    return count;
  }
}
