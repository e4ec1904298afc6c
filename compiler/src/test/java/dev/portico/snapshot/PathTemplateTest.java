package dev.portico.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portico.snapshot.PathTemplate.Header;
import dev.portico.snapshot.PathTemplate.Literal;
import dev.portico.snapshot.PathTemplate.PartValue;
import dev.portico.snapshot.PathTemplate.PathParam;
import dev.portico.snapshot.PathTemplate.QueryParam;
import org.junit.jupiter.api.Test;

class PathTemplateTest {
  @Test
  void splitsLiteralsAndEveryKindOfPlaceholder() {
    PathTemplate t =
        PathTemplate.parse("/p/{id}/x?q={query.q}&h={header.X-Tenant}&v={parts.order/items/0/id}");
    assertThat(t.segments())
        .containsExactly(
            new Literal("/p/"),
            new PathParam("id"),
            new Literal("/x?q="),
            new QueryParam("q"),
            new Literal("&h="),
            new Header("x-tenant"),
            new Literal("&v="),
            new PartValue("order", "/items/0/id"));
  }

  @Test
  void refusesMalformedTemplates() {
    assertThatThrownBy(() -> PathTemplate.parse("p/{id}")).hasMessageContaining("start with '/'");
    assertThatThrownBy(() -> PathTemplate.parse("/p/{id")).hasMessageContaining("not closed");
    assertThatThrownBy(() -> PathTemplate.parse("/p/id}")).hasMessageContaining("closes no");
    assertThatThrownBy(() -> PathTemplate.parse("/p/{parts.order}"))
        .hasMessageContaining("{parts.<part>/<json pointer>}");
    assertThatThrownBy(() -> PathTemplate.parse("/p/{1x}")).hasMessageContaining("placeholder");
    assertThatThrownBy(() -> PathTemplate.parse("/p/{parts.o/a~2}")).hasMessageContaining("~");
    assertThatThrownBy(() -> PathTemplate.parse("/p q")).hasMessageContaining("offset 2");
  }

  @Test
  void pointersUnescapeTildeSequences() {
    assertThat(JsonPointers.split("/a~1b/~0c/0")).containsExactly("a/b", "~c", "0");
    assertThat(JsonPointers.split("/a/")).containsExactly("a", "");
    assertThatThrownBy(() -> JsonPointers.split("/")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonPointers.split("a")).isInstanceOf(IllegalArgumentException.class);
  }
}
