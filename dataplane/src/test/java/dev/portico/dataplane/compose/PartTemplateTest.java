package dev.portico.dataplane.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartTemplateTest {
  private static PartTemplate.Values values(Map<String, String> params, JsonNode order) {
    return new PartTemplate.Values() {
      @Override
      public String pathParam(String name) {
        return params.get(name);
      }

      @Override
      public String queryParam(String name) {
        return params.get("query." + name);
      }

      @Override
      public String header(String name) {
        return params.get("header." + name);
      }

      @Override
      public JsonNode part(String name) {
        return name.equals("order") ? order : null;
      }
    };
  }

  @Test
  void fillsAndEncodesEveryValue() throws Exception {
    JsonNode order =
        ComposePlan.JSON.readTree("{\"items\":[{\"id\":\"a b\"},{\"id\":7},{\"id\":null}]}");
    PartTemplate t =
        PartTemplate.parse("/p/{id}/{parts.order/items/1/id}?ids={parts.order/items/*/id}");
    String uri = t.fill(values(Map.of("id", "x/y"), order), m -> {});
    assertThat(uri).isEqualTo("/p/x%2Fy/7?ids=a%20b,7");
  }

  @Test
  void aMissingValueIsReportedWithWhoseFaultItIs() throws Exception {
    PartTemplate.Missing[] missing = new PartTemplate.Missing[1];
    PartTemplate t = PartTemplate.parse("/p?h={header.x-a}");
    assertThat(t.fill(values(Map.of(), null), m -> missing[0] = m)).isNull();
    assertThat(missing[0]).isEqualTo(new PartTemplate.Missing("header x-a", true));
    PartTemplate fromPart = PartTemplate.parse("/p/{parts.order/items/9/id}");
    JsonNode order = ComposePlan.JSON.readTree("{\"items\":[]}");
    assertThat(fromPart.fill(values(Map.of(), order), m -> missing[0] = m)).isNull();
    assertThat(missing[0].fromClient()).isFalse();
  }

  @Test
  void dotSegmentsCannotEscapeTheTemplatesPath() {
    assertThat(PartTemplate.encode("..")).isEqualTo("%2E%2E");
    assertThat(PartTemplate.encode(".")).isEqualTo("%2E");
    assertThat(PartTemplate.encode("a..b")).isEqualTo("a..b");
    assertThat(PartTemplate.encode("é?#&=")).isEqualTo("%C3%A9%3F%23%26%3D");
  }
}
