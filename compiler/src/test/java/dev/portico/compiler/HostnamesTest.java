package dev.portico.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HostnamesTest {
  @Test
  void routeWithoutHostnamesTakesTheListenersOrAny() {
    assertThat(Hostnames.intersect(null, List.of())).containsExactly("*");
    assertThat(Hostnames.intersect(null, null)).containsExactly("*");
    assertThat(Hostnames.intersect("*.example.com", List.of())).containsExactly("*.example.com");
    assertThat(Hostnames.intersect("api.example.com", List.of()))
        .containsExactly("api.example.com");
  }

  @Test
  void listenerWithoutHostnameKeepsEveryRouteHostnameSortedAndDeduplicated() {
    assertThat(
            Hostnames.intersect(null, List.of("b.example.com", "A.example.com", "b.example.com")))
        .containsExactly("a.example.com", "b.example.com");
  }

  @Test
  void exactRouteHostnameInsideListenerWildcard() {
    assertThat(Hostnames.intersect("*.example.com", List.of("api.example.com")))
        .containsExactly("api.example.com");
    assertThat(Hostnames.intersect("*.example.com", List.of("a.b.example.com")))
        .as("a wildcard label matches one or more labels")
        .containsExactly("a.b.example.com");
  }

  @Test
  void wildcardsIntersectToTheNarrowerOne() {
    assertThat(Hostnames.intersect("*.example.com", List.of("*.api.example.com")))
        .containsExactly("*.api.example.com");
    assertThat(Hostnames.intersect("*.example.com", List.of("*.com")))
        .containsExactly("*.example.com");
    assertThat(Hostnames.intersect("api.example.com", List.of("*.example.com")))
        .containsExactly("api.example.com");
    assertThat(Hostnames.intersect("*.example.com", List.of("*.example.com")))
        .containsExactly("*.example.com");
  }

  @Test
  void disjointHostnamesDoNotIntersect() {
    assertThat(Hostnames.intersect("*.example.com", List.of("example.com")))
        .as("a wildcard does not match the apex")
        .isEmpty();
    assertThat(Hostnames.intersect("*.example.com", List.of("badexample.com", "api.example.org")))
        .isEmpty();
    assertThat(
            Hostnames.intersect("api.example.com", List.of("www.example.com", "*.api.example.com")))
        .isEmpty();
  }

  @Test
  void intersectionIgnoresCase() {
    assertThat(Hostnames.intersect("*.Example.COM", List.of("API.example.com")))
        .containsExactly("api.example.com");
  }

  @Test
  void onlyTheMatchingPartOfSeveralRouteHostnamesIsKept() {
    assertThat(
            Hostnames.intersect(
                "*.example.com", List.of("api.example.org", "www.example.com", "*.com")))
        .containsExactly("*.example.com", "www.example.com");
  }

  @Test
  void specificityPutsExactNamesFirstThenLongerWildcardsThenAny() {
    List<String> expected =
        List.of(
            "a.example.com",
            "shop.eu.example.com",
            "www.example.com",
            "*.aa.example.com",
            "*.eu.example.com",
            "*.b.example.com",
            "*.example.com",
            "*.com",
            "*");
    for (int seed = 0; seed < 5; seed++) {
      List<String> hosts = new ArrayList<>(expected);
      Collections.shuffle(hosts, new Random(seed));
      hosts.sort(Hostnames.SPECIFICITY);
      assertThat(hosts).as("order from shuffle %d", seed).containsExactlyElementsOf(expected);
    }
  }
}
