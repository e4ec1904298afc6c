package dev.portico.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Header edits, applied in the order remove, set, add. Names are lower-case.
 *
 * @param set replace existing values
 * @param add append to existing values
 * @param remove delete
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record HeaderEdits(List<Header> set, List<Header> add, List<String> remove) {
  public static final HeaderEdits NONE = new HeaderEdits(List.of(), List.of(), List.of());

  public HeaderEdits {
    set = Lists.copy(set);
    add = Lists.copy(add);
    remove = Lists.copy(remove);
  }

  /** Not a property: the wire form of an empty edit is an omitted field. */
  @JsonIgnore
  public boolean isEmpty() {
    return set.isEmpty() && add.isEmpty() && remove.isEmpty();
  }

  /** A header name and value. */
  public record Header(String name, String value) {}
}
