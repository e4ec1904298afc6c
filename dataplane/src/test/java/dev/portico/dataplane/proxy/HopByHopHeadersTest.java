package dev.portico.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

class HopByHopHeadersTest {
  @Test
  void dropsHopByHopHeadersInAnyCaseAndWhatConnectionNames() {
    MultiMap from =
        MultiMap.caseInsensitiveMultiMap()
            .add("Host", "shop.example")
            .add("CONNECTION", "keep-alive, X-Secret ,x-other,,")
            .add("Keep-Alive", "timeout=5")
            .add("Transfer-Encoding", "chunked")
            .add("TE", "trailers")
            .add("x-secret", "dropped because Connection names it")
            .add("X-OTHER", "also dropped")
            .add(":path", "/pseudo")
            .add("Accept", "a")
            .add("accept", "b")
            .add("X-Forwarded-For", "198.51.100.1");
    MultiMap to = MultiMap.caseInsensitiveMultiMap();

    HopByHopHeaders.copy(from, to, HopByHopHeaders.names("host", "x-forwarded-for"));

    assertThat(to.names()).containsExactlyInAnyOrder("Accept");
    assertThat(to.getAll("accept")).containsExactly("a", "b");
  }

  @Test
  void keepsEverythingElseWithItsOriginalName() {
    MultiMap from =
        MultiMap.caseInsensitiveMultiMap()
            .add("Content-Type", "text/plain")
            .add("Connection", "close")
            .add("Set-Cookie", "a=1")
            .add("Set-Cookie", "b=2");
    MultiMap to = MultiMap.caseInsensitiveMultiMap();

    HopByHopHeaders.copy(from, to, HopByHopHeaders.names());

    assertThat(to.entries())
        .extracting(e -> e.getKey() + ": " + e.getValue())
        .containsExactly("Content-Type: text/plain", "Set-Cookie: a=1", "Set-Cookie: b=2");
  }
}
