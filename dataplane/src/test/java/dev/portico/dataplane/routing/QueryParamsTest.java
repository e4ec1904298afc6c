package dev.portico.dataplane.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryParamsTest {
  @Test
  void firstValueWinsAndNamesAreCaseSensitive() {
    QueryParams q = new QueryParams("a=1&a=2&B=3&flag&empty=&&=x");

    assertThat(q.first("a")).isEqualTo("1");
    assertThat(q.first("B")).isEqualTo("3");
    assertThat(q.first("b")).isNull();
    assertThat(q.first("flag")).isEmpty();
    assertThat(q.first("empty")).isEmpty();
    assertThat(q.first("")).isEqualTo("x");
  }

  @Test
  void decodesPercentEscapesAsUtf8AndPlusAsSpace() {
    QueryParams q = new QueryParams("name=caf%C3%A9+au+lait&k%65y=v%3D1&bad=%zz%4&pct=100%");

    assertThat(q.first("name")).isEqualTo("café au lait");
    assertThat(q.first("key")).isEqualTo("v=1");
    assertThat(q.first("bad")).isEqualTo("%zz%4");
    assertThat(q.first("pct")).isEqualTo("100%");
  }

  @Test
  void noQueryMeansNoParameters() {
    assertThat(new QueryParams(null).first("a")).isNull();
    assertThat(new QueryParams("").first("a")).isNull();
  }
}
