package dev.portico.dataplane.routing;

import static dev.portico.dataplane.routing.Routes.exact;
import static dev.portico.dataplane.routing.Routes.is;
import static dev.portico.dataplane.routing.Routes.like;
import static dev.portico.dataplane.routing.Routes.prefix;
import static dev.portico.dataplane.routing.Routes.regex;
import static dev.portico.dataplane.routing.Routes.table;
import static dev.portico.dataplane.routing.Routes.vhost;
import static dev.portico.dataplane.routing.Routes.withConditions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portico.snapshot.RouteEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTableTest {
  private static String rule(RouteTable table, String host, String path) {
    RouteMatch m = table.match(host, MapRequestView.of("GET", path));
    return m == null ? null : m.rule();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "/foo, foo",
    "/foo/, foo",
    "/foo/ba, foo",
    "/foo/bar, foobar",
    "/foobar, root",
    "/fo, root",
    "/, root",
    "/foo/bar/baz, foobar",
    "/foo/barbaz, foo",
  })
  void prefixesMatchWholeSegments(String path, String expected) {
    RouteTable t =
        table(vhost("*", prefix("/foo/bar", "foobar"), prefix("/foo", "foo"), prefix("/", "root")));

    assertThat(rule(t, "h", path)).isEqualTo(expected);
  }

  @Test
  void aPrefixWrittenWithATrailingSlashIsTheSamePrefix() {
    RouteTable t = table(vhost("*", prefix("/foo/", "foo")));

    assertThat(rule(t, "h", "/foo")).isEqualTo("foo");
    assertThat(rule(t, "h", "/foo/x")).isEqualTo("foo");
    assertThat(rule(t, "h", "/foox")).isNull();
  }

  @Test
  void exactPathsRespectTheTrailingSlash() {
    RouteTable t = table(vhost("*", exact("/foo", "bare"), exact("/bar/", "slash")));

    assertThat(rule(t, "h", "/foo")).isEqualTo("bare");
    assertThat(rule(t, "h", "/foo/")).isNull();
    assertThat(rule(t, "h", "/bar/")).isEqualTo("slash");
    assertThat(rule(t, "h", "/bar")).isNull();
  }

  @Test
  void listOrderDecidesEvenWhenTheIndexWouldPreferAnotherBucket() {
    // Not the compiler's order: the table must still answer "first in the list".
    RouteTable t =
        table(
            vhost(
                "*",
                prefix("/api", "short"),
                regex("/api/.*", "regex"),
                exact("/api/v1", "exact"),
                prefix("/api/v1", "long")));

    assertThat(rule(t, "h", "/api/v1")).isEqualTo("short");
    assertThat(rule(t, "h", "/api/v1/x")).isEqualTo("short");
  }

  @Test
  void regularExpressionsMustMatchTheWholePath() {
    RouteTable t =
        table(vhost("*", regex("/a", "a"), regex("a", "unanchored"), regex("/b/.*", "b")));

    assertThat(rule(t, "h", "/a")).isEqualTo("a");
    assertThat(rule(t, "h", "/a/b")).isNull();
    assertThat(rule(t, "h", "/xa")).isNull();
    assertThat(rule(t, "h", "/b/c")).isEqualTo("b");
    assertThat(rule(t, "h", "/b")).isNull();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "api.example.com, exact",
    "API.Example.COM, exact",
    "api.example.com:8443, exact",
    "API.EXAMPLE.COM:80, exact",
    "api.example.com., exact",
    "b.example.com, wildcard",
    "a.b.example.com, deeper",
    "x.a.b.example.com, deeper",
    "x.y.example.com, wildcard",
    "example.com, any",
    "badexample.com, any",
    "[::1]:8080, any",
    "[::1], any",
    "[::1, any",
    "'', any",
    ":8080, any",
  })
  void hostsAreMatchedMostSpecificFirst(String host, String expected) {
    RouteTable t =
        table(
            vhost("api.example.com", prefix("/", "exact")),
            vhost("*.b.example.com", prefix("/", "deeper")),
            vhost("*.example.com", prefix("/", "wildcard")),
            vhost("*", prefix("/", "any")));

    assertThat(rule(t, host, "/x")).isEqualTo(expected);
  }

  @Test
  void aMissingHostOnlyReachesTheCatchAll() {
    assertThat(rule(table(vhost("*", prefix("/", "any"))), null, "/")).isEqualTo("any");
    assertThat(rule(table(vhost("a.com", prefix("/", "a"))), null, "/")).isNull();
  }

  @Test
  void aWildcardCoversOneOrMoreLabelsButNotItsOwnSuffix() {
    RouteTable t = table(vhost("*.example.com", prefix("/", "w")));

    assertThat(rule(t, "a.example.com", "/")).isEqualTo("w");
    assertThat(rule(t, "a.b.c.example.com", "/")).isEqualTo("w");
    assertThat(rule(t, "example.com", "/")).isNull();
    assertThat(rule(t, ".example.com", "/")).isNull();
    assertThat(rule(t, "aexample.com", "/")).isNull();
  }

  @Test
  void aVirtualHostWithoutAMatchingRouteFallsThroughToLessSpecificOnes() {
    RouteTable t =
        table(
            vhost("shop.example.com", prefix("/api", "shop-api")),
            vhost("*.example.com", prefix("/docs", "docs")),
            vhost("*", prefix("/", "catch-all")));

    assertThat(rule(t, "shop.example.com", "/api/cart")).isEqualTo("shop-api");
    assertThat(rule(t, "shop.example.com", "/docs/x")).isEqualTo("docs");
    assertThat(rule(t, "shop.example.com", "/other")).isEqualTo("catch-all");
    assertThat(rule(t, "blog.example.com", "/api/cart")).isEqualTo("catch-all");
    RouteMatch m = t.match("shop.example.com", MapRequestView.of("GET", "/docs"));
    assertThat(m.virtualHost()).isEqualTo("*.example.com");
  }

  @Test
  void withoutACatchAllAnUncoveredHostIsNotFound() {
    RouteTable t = table(vhost("a.example.com", prefix("/", "a")));

    assertThat(rule(t, "b.example.com", "/")).isNull();
    assertThat(table().match("a.example.com", MapRequestView.of("GET", "/"))).isNull();
  }

  @Test
  void methodHeadersAndQueryParametersAreCheckedPerEntry() {
    RouteTable t =
        table(
            vhost(
                "*",
                withConditions(prefix("/", "post"), "POST", List.of(), List.of()),
                withConditions(
                    prefix("/", "beta"), null, List.of(like("x-version", "2\\.[0-9]+")), List.of()),
                withConditions(
                    prefix("/", "canary"), null, List.of(is("x-canary", "on")), List.of()),
                withConditions(prefix("/", "query"), null, List.of(), List.of(is("mode", "a b"))),
                prefix("/", "default")));

    assertThat(match(t, "POST", Map.of(), null)).isEqualTo("post");
    assertThat(match(t, "GET", Map.of("X-Version", "2.10"), null)).isEqualTo("beta");
    assertThat(match(t, "GET", Map.of("x-version", "2.10-rc"), null)).isEqualTo("default");
    assertThat(match(t, "GET", Map.of("x-canary", "on"), null)).isEqualTo("canary");
    assertThat(match(t, "GET", Map.of("x-canary", "ON"), null)).isEqualTo("default");
    assertThat(match(t, "GET", Map.of(), "mode=a+b&mode=c")).isEqualTo("query");
    assertThat(match(t, "GET", Map.of(), "mode=c&mode=a+b")).isEqualTo("default");
    assertThat(match(t, "GET", Map.of(), "Mode=a+b")).isEqualTo("default");
  }

  private static String match(RouteTable t, String method, Map<String, String> headers, String q) {
    return t.match("h", new MapRequestView(method, "/x", headers, q)).rule();
  }

  @Test
  void queryParametersAreNotReadUnlessACandidateNeedsThem() {
    int[] reads = {0};
    RequestView request =
        new RequestView() {
          @Override
          public String method() {
            return "GET";
          }

          @Override
          public String path() {
            return "/a";
          }

          @Override
          public String header(String lowerCaseName) {
            return null;
          }

          @Override
          public String queryParam(String name) {
            reads[0]++;
            return null;
          }
        };
    RouteTable t =
        table(
            vhost(
                "*",
                exact("/a", "a"),
                withConditions(prefix("/", "q"), null, List.of(), List.of(is("q", "1")))));

    assertThat(t.match("h", request).rule()).isEqualTo("a");
    assertThat(reads[0]).isZero();
  }

  @Test
  void reportsThePrefixLengthForReplacePrefixMatch() {
    RouteTable t =
        table(
            vhost(
                "*",
                exact("/e/x", "e"),
                regex("/r/.*", "r"),
                prefix("/api/", "api"),
                prefix("/", "root")));

    assertThat(t.match("h", MapRequestView.of("GET", "/api/v1")).prefixLength()).isEqualTo(4);
    assertThat(t.match("h", MapRequestView.of("GET", "/api")).prefixLength()).isEqualTo(4);
    assertThat(t.match("h", MapRequestView.of("GET", "/other")).prefixLength()).isZero();
    assertThat(t.match("h", MapRequestView.of("GET", "/e/x")).prefixLength()).isEqualTo(4);
    assertThat(t.match("h", MapRequestView.of("GET", "/r/1")).prefixLength()).isEqualTo(-1);
  }

  @Test
  void routeValuesAreReadInTheNormalizedSpelling() {
    RouteTable t = table(vhost("*", exact("/%7euser", "tilde"), prefix("/caf%c3%a9", "cafe")));
    PathNormalizer normalizer = PathNormalizer.defaults();

    assertThat(rule(t, "h", normalizer.normalize("/~user").path())).isEqualTo("tilde");
    assertThat(rule(t, "h", normalizer.normalize("/%7Euser").path())).isEqualTo("tilde");
    assertThat(rule(t, "h", normalizer.normalize("/caf%C3%A9/menu").path())).isEqualTo("cafe");
  }

  @Test
  void aTraversalThroughPathParametersCannotBorrowAnotherRoute() {
    RouteTable t =
        table(
            vhost(
                "*", prefix("/public", "public"), prefix("/admin", "admin"), prefix("/", "root")));
    PathNormalizer normalizer = PathNormalizer.defaults();

    assertThat(rule(t, "h", normalizer.normalize("/public/..;/admin/users").path()))
        .isEqualTo("admin");
    assertThat(rule(t, "h", normalizer.normalize("/admin;x=y/").path())).isEqualTo("admin");
    assertThat(rule(t, "h", normalizer.normalize("/public/%2e%2e/admin").path()))
        .isEqualTo("admin");
  }

  @Test
  void aVirtualHostListedTwiceKeepsTheFirstOnesPrecedence() {
    RouteTable t =
        table(
            vhost("A.example.com", prefix("/", "first")),
            vhost("a.example.com", prefix("/", "second")));

    assertThat(rule(t, "a.example.com", "/")).isEqualTo("first");
  }

  @Test
  void anInvalidRegularExpressionRefusesTheTable() {
    assertThatThrownBy(() -> table(vhost("*", regex("/(unclosed", "ns/r/0"))))
        .isInstanceOf(InvalidRouteException.class)
        .hasMessageContaining("ns/r/0")
        .hasMessageContaining("/(unclosed");
  }

  @Test
  void lookupsScaleWithSegmentsNotRoutes() {
    // Ten thousand prefixes and exact paths: a lookup still probes one bucket per segment.
    RouteEntry[] many = new RouteEntry[20_000];
    for (int i = 0; i < 10_000; i++) {
      many[2 * i] = exact("/svc" + i + "/health", "exact" + i);
      many[2 * i + 1] = prefix("/svc" + i, "prefix" + i);
    }
    RouteTable t = table(vhost("*", many));

    assertThat(rule(t, "h", "/svc9999/health")).isEqualTo("exact9999");
    assertThat(rule(t, "h", "/svc4242/a/b")).isEqualTo("prefix4242");
    assertThat(rule(t, "h", "/svc10000")).isNull();
  }

  @Test
  void theHashInverseUndoesOneStep() {
    assertThat(31 * HostRoutes.INV31).isEqualTo(1);
  }
}
