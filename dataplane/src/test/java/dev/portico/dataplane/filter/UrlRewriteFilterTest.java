package dev.portico.dataplane.filter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UrlRewriteFilterTest {
  @Test
  void replacesPrefixesOnSegmentBoundaries() {
    assertThat(UrlRewriteFilter.replacePrefix("/v1", "/x")).isEqualTo("/v1/x");
    assertThat(UrlRewriteFilter.replacePrefix("/v1/", "/x")).isEqualTo("/v1/x");
    assertThat(UrlRewriteFilter.replacePrefix("/", "/x")).isEqualTo("/x");
    assertThat(UrlRewriteFilter.replacePrefix("/", "")).isEqualTo("/");
    assertThat(UrlRewriteFilter.replacePrefix("/v1", "")).isEqualTo("/v1");
  }
}
