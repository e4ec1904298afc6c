package dev.portico.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CorsOriginTest {
  @Test
  void schemeAndHostAreLowerCasedAndDefaultPortsDropped() {
    assertThat(CorsOrigin.parse("HTTPS://App.Example.COM:443"))
        .hasToString("https://app.example.com");
    assertThat(CorsOrigin.parse("http://localhost:80")).hasToString("http://localhost");
    assertThat(CorsOrigin.parse("http://localhost:3000")).hasToString("http://localhost:3000");
    // Only http and https have a default port here; the port of any other scheme is kept.
    assertThat(CorsOrigin.parse("https://a.example.com:80"))
        .hasToString("https://a.example.com:80");
    assertThat(CorsOrigin.parse("capacitor://localhost")).hasToString("capacitor://localhost");
    assertThat(CorsOrigin.parse("http://[::1]:8080")).hasToString("http://[::1]:8080");
    assertThat(CorsOrigin.parse("http://[2001:DB8::1]")).hasToString("http://[2001:db8::1]");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "null",
        "example.com",
        "://example.com",
        "1http://example.com",
        "https://",
        "https://example.com/",
        "https://example.com/path",
        "https://example.com:",
        "https://example.com:0",
        "https://example.com:65536",
        "https://example.com:8o",
        "https://user@example.com",
        "https://example.com?x",
        "https://exa mple.com",
        "https://example..com",
        "https://example.com.",
        "https://*.example.com",
        "https://[::1",
        "https://[zz::1]",
        "https://[::1]x"
      })
  void whatIsNotAnOriginIsRefused(String value) {
    assertThat(CorsOrigin.parse(value)).isNull();
  }

  @Test
  void patternsMayStartWithAWildcardLabelOnly() {
    CorsOrigin wildcard = CorsOrigin.parsePattern("https://*.Example.com:8443");
    assertThat(wildcard).hasToString("https://*.example.com:8443");
    assertThat(wildcard.isWildcard()).isTrue();
    assertThat(CorsOrigin.parsePattern("https://app.example.com").isWildcard()).isFalse();
    assertThat(CorsOrigin.parsePattern("https://*")).isNull();
    assertThat(CorsOrigin.parsePattern("https://a.*.example.com")).isNull();
    assertThat(CorsOrigin.parsePattern("https://*app.example.com")).isNull();
  }

  @Test
  void problemsSayWhatIsWrongAndHowToWriteIt() {
    assertThat(CorsOrigin.problem("https://app.example.com")).isNull();
    assertThat(CorsOrigin.problem("https://app.example.com/"))
        .startsWith("has a path")
        .endsWith(
            "write scheme://host[:port] without a path, https://*.example.com, 'null' or '*'");
    assertThat(CorsOrigin.problem("https://" + "a".repeat(64) + ".example.com"))
        .startsWith("has an empty host label or one longer than 63 characters");
    assertThat(CorsOrigin.problem("https://" + "a.".repeat(127) + "com"))
        .startsWith("has no host or one longer than 253 characters");
    assertThat(CorsOrigin.problem("https://a.com:99999")).startsWith("has a path or a port");
    assertThat(CorsOrigin.problem("app.example.com")).startsWith("has no scheme");
    assertThat(CorsOrigin.problem("https://a*.example.com")).startsWith("has '*' somewhere else");
  }
}
