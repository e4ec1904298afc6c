package dev.portico.dataplane.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.snapshot.ListenerConfig;
import dev.portico.snapshot.MatchConfig;
import dev.portico.snapshot.MatchConfig.PathType;
import dev.portico.snapshot.MatchConfig.ValueMatch;
import dev.portico.snapshot.RouteEntry;
import dev.portico.snapshot.VirtualHost;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random listeners and requests: {@link RouteTable} must give exactly the answer of {@link
 * ReferenceMatcher}. Vocabularies are small on purpose, so that exact paths, prefixes, regular
 * expressions, conditions and wildcard hosts overlap often.
 */
class RouteTablePropertyTest {
  private static final int SNAPSHOTS = 200;
  private static final int REQUESTS = 200;

  private static final String[] SEGMENTS = {"a", "b", "ab", "api", "v1", "x"};
  private static final String[] REGEXES = {
    "/a/.*",
    "/a",
    "a",
    "/a/b",
    "/[ab]+(/.*)?",
    "/api/v[0-9]+/.*",
    ".*",
    "/a.*",
    "/(a|b)/(a|b)",
    "/x/?",
    "/ab?/?"
  };
  private static final String[] VHOSTS = {
    "a.example.com",
    "b.example.com",
    "example.com",
    "*.example.com",
    "*.b.example.com",
    "*.com",
    "*"
  };
  private static final String[] HOSTS = {
    "a.example.com",
    "A.Example.COM",
    "a.example.com:8080",
    "b.example.com",
    "x.b.example.com",
    "y.x.b.example.com",
    "example.com",
    "example.com.",
    "EXAMPLE.COM:443",
    "foo.com",
    "com",
    "other.org",
    "[::1]:8080",
    "[::1]",
    "",
    null
  };
  private static final String[] METHODS = {"GET", "POST", "PUT"};
  private static final String[] QUERY_PARTS = {
    "q=1", "q=2", "r=1", "r=2", "q=a+b", "q=a%20b", "r=", "q", "r=%31"
  };

  /** Virtual hosts in the compiler's order: exact names, wildcards longest first, then "*". */
  private static final Comparator<String> SPECIFICITY =
      Comparator.comparingInt((String h) -> h.equals("*") ? 2 : h.startsWith("*.") ? 1 : 0)
          .thenComparing(Comparator.comparingInt(String::length).reversed())
          .thenComparing(Comparator.naturalOrder());

  /** Roughly the compiler's precedence, for half the snapshots; the other half are shuffled. */
  private static final Comparator<RouteEntry> PRECEDENCE =
      Comparator.comparingInt((RouteEntry e) -> rank(e.match().pathType()))
          .thenComparing(e -> e.match().path().length(), Comparator.reverseOrder())
          .thenComparing(e -> e.match().method() == null)
          .thenComparing(e -> e.match().headers().size(), Comparator.reverseOrder())
          .thenComparing(e -> e.match().queryParams().size(), Comparator.reverseOrder());

  @ParameterizedTest
  @ValueSource(longs = {1L, 42L, 20240601L})
  void routeTableAgreesWithTheReference(long seed) {
    Random random = new Random(seed);
    Map<PathType, Integer> matchedBy = new EnumMap<>(PathType.class);
    int misses = 0;
    int fallThroughs = 0;
    for (int s = 0; s < SNAPSHOTS; s++) {
      ListenerConfig listener = listener(random, s);
      RouteTable table = RouteTable.of(listener);
      for (int q = 0; q < REQUESTS; q++) {
        String host = HOSTS[random.nextInt(HOSTS.length)];
        MapRequestView request = request(random);
        String where = "seed " + seed + " snapshot " + s + " request " + q;

        ReferenceMatcher.Hit expected = ReferenceMatcher.match(listener, host, request);
        RouteMatch actual = table.match(host, request);

        if (expected == null) {
          assertThat(actual).as(where).isNull();
          misses++;
          continue;
        }
        assertThat(actual).as(where).isNotNull();
        assertThat(actual.entry()).as(where).isSameAs(expected.entry());
        assertThat(actual.virtualHost()).as(where).isEqualTo(expected.virtualHost());
        assertThat(actual.prefixLength())
            .as(where)
            .isEqualTo(ReferenceMatcher.prefixLength(expected.entry().match(), request.path()));
        matchedBy.merge(expected.entry().match().pathType(), 1, Integer::sum);
        if (!expected.virtualHost().equals(mostSpecificCovering(listener, host))) {
          fallThroughs++;
        }
      }
    }
    // The generator must actually exercise every path of the index, or agreeing proves little.
    assertThat(matchedBy.getOrDefault(PathType.Exact, 0)).isGreaterThan(500);
    assertThat(matchedBy.getOrDefault(PathType.RegularExpression, 0)).isGreaterThan(500);
    assertThat(matchedBy.getOrDefault(PathType.PathPrefix, 0)).isGreaterThan(500);
    assertThat(misses).isGreaterThan(500);
    assertThat(fallThroughs).isGreaterThan(500);
  }

  private static ListenerConfig listener(Random random, int index) {
    List<String> names = new ArrayList<>();
    for (String name : VHOSTS) {
      if (random.nextInt(3) > 0) {
        names.add(name);
      }
    }
    names.sort(SPECIFICITY);
    boolean sorted = index % 2 == 0;
    List<VirtualHost> vhosts = new ArrayList<>();
    for (String name : names) {
      List<RouteEntry> routes = new ArrayList<>();
      int count = random.nextInt(26);
      for (int i = 0; i < count; i++) {
        routes.add(entry(random, name + "/" + i));
      }
      if (sorted) {
        routes.sort(PRECEDENCE);
      } else {
        Collections.shuffle(routes, random);
      }
      vhosts.add(new VirtualHost(name, routes));
    }
    return new ListenerConfig("l" + index, 8080, "HTTP", List.of(), vhosts);
  }

  static RouteEntry entry(Random random, String rule) {
    int kind = random.nextInt(10);
    PathType type;
    String path;
    if (kind < 3) {
      type = PathType.Exact;
      path = path(random, 3);
    } else if (kind < 5) {
      type = PathType.RegularExpression;
      path = REGEXES[random.nextInt(REGEXES.length)];
    } else {
      type = PathType.PathPrefix;
      path = random.nextInt(8) == 0 ? "/" : path(random, 3);
    }
    String method = random.nextInt(3) == 0 ? METHODS[random.nextInt(2)] : null;
    List<ValueMatch> headers = new ArrayList<>();
    for (String name : new String[] {"x-a", "x-b"}) {
      if (random.nextInt(4) == 0) {
        headers.add(value(random, name, "[12]"));
      }
    }
    List<ValueMatch> query = new ArrayList<>();
    for (String name : new String[] {"q", "r"}) {
      if (random.nextInt(5) == 0) {
        query.add(
            random.nextInt(4) == 0
                ? new ValueMatch(name, "a b", false)
                : value(random, name, "1?"));
      }
    }
    return new RouteEntry(new MatchConfig(type, path, method, headers, query), rule);
  }

  private static ValueMatch value(Random random, String name, String regex) {
    return random.nextBoolean()
        ? new ValueMatch(name, random.nextBoolean() ? "1" : "2", false)
        : new ValueMatch(name, regex, true);
  }

  static MapRequestView request(Random random) {
    Map<String, String> headers = new HashMap<>();
    for (String name : new String[] {"x-a", "X-B"}) {
      if (random.nextInt(3) > 0) {
        headers.put(name, String.valueOf(1 + random.nextInt(3)));
      }
    }
    String rawQuery = null;
    if (random.nextBoolean()) {
      List<String> parts = new ArrayList<>();
      for (int i = random.nextInt(4); i >= 0; i--) {
        parts.add(QUERY_PARTS[random.nextInt(QUERY_PARTS.length)]);
      }
      rawQuery = String.join("&", parts);
    }
    return new MapRequestView(
        METHODS[random.nextInt(METHODS.length)], path(random, 4), headers, rawQuery);
  }

  /** "/", or up to {@code depth} segments, sometimes with a trailing slash. */
  private static String path(Random random, int depth) {
    StringBuilder p = new StringBuilder();
    for (int i = random.nextInt(depth + 1); i > 0; i--) {
      p.append('/').append(SEGMENTS[random.nextInt(SEGMENTS.length)]);
    }
    if (p.length() == 0 || random.nextInt(5) == 0) {
      p.append('/');
    }
    return p.toString();
  }

  private static String mostSpecificCovering(ListenerConfig listener, String host) {
    String name = ReferenceMatcher.requestHost(host);
    for (VirtualHost vh : listener.virtualHosts()) {
      if (ReferenceMatcher.covers(vh.hostname(), name)) {
        return vh.hostname();
      }
    }
    return null;
  }

  private static int rank(PathType type) {
    return switch (type) {
      case Exact -> 0;
      case RegularExpression -> 1;
      case PathPrefix -> 2;
    };
  }
}
