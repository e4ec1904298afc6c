package dev.portico.dataplane.cors;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

/** The gateway's CORS fields over a backend's head: its Access-Control-* go, its Vary stays. */
class CorsResponseTest {
  static MultiMap upstream(String... nameValues) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < nameValues.length; i += 2) {
      h.add(nameValues[i], nameValues[i + 1]);
    }
    return h;
  }

  @Test
  void backendAccessControlFieldsAreReplacedAndVaryGetsOriginAppended() {
    CorsResponse ours = new CorsResponse("https://app.example.com", true, "etag");
    MultiMap h = upstream("vary", "Origin");
    ours.writeTo(h); // as the handler does before proxying
    h.add("Access-Control-Allow-Origin", "*");
    h.add("access-control-allow-methods", "GET");
    h.add("Access-Control-Allow-Credentials", "false");
    h.add("Vary", "Accept-Encoding, origin");
    h.add("vary", "Accept-Language");
    h.add("content-type", "application/json");

    ours.replaceUpstream(h);

    assertThat(h.getAll("access-control-allow-origin")).containsExactly("https://app.example.com");
    assertThat(h.getAll("access-control-allow-credentials")).containsExactly("true");
    assertThat(h.getAll("access-control-expose-headers")).containsExactly("etag");
    assertThat(h.contains("access-control-allow-methods")).isFalse();
    assertThat(h.getAll("vary")).containsExactly("Accept-Encoding, Accept-Language, Origin");
    assertThat(h.get("content-type")).isEqualTo("application/json");
  }

  @Test
  void varyStarStaysAndOriginIsNotRepeated() {
    MultiMap star = upstream("vary", "Origin", "vary", "*");
    CorsResponse.VARY_ONLY.replaceUpstream(star);
    assertThat(star.getAll("vary")).containsExactly("*");

    MultiMap twice = upstream("vary", "Origin", "vary", "ORIGIN,Accept-Encoding");
    CorsResponse.VARY_ONLY.replaceUpstream(twice);
    assertThat(twice.getAll("vary")).containsExactly("Accept-Encoding, Origin");
  }

  @Test
  void aForeignOriginStillLosesTheBackendsAccessControlFields() {
    MultiMap h = upstream("access-control-allow-origin", "*", "x-backend", "b");
    CorsResponse.VARY_ONLY.replaceUpstream(h);
    assertThat(h.names()).containsExactlyInAnyOrder("x-backend", "vary");
  }

  @Test
  void corsFieldsAreWhatGatewayMadeErrorsKeep() {
    assertThat(CorsHeaders.isCorsField("access-control-allow-origin")).isTrue();
    assertThat(CorsHeaders.isCorsField("vary")).isTrue();
    assertThat(CorsHeaders.isCorsField("content-type")).isFalse();
  }
}
