package dev.portico.api.route;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Moves one field of a part's response before it is merged. */
public class FieldRename {
  @JsonPropertyDescription(
      "JSON pointer (RFC 6901) of the field in the part's response, after select and omit, e.g."
          + " /price.")
  @Required
  @Size(min = 2, max = 256)
  @Pattern(Compose.POINTER_PATTERN)
  public String from;

  @JsonPropertyDescription(
      "JSON pointer of its new place in the same response, e.g. /cost or /pricing/amount;"
          + " missing objects on the way are created.")
  @Required
  @Size(min = 2, max = 256)
  @Pattern(Compose.POINTER_PATTERN)
  public String to;

  public FieldRename() {}

  public FieldRename(String from, String to) {
    this.from = from;
    this.to = to;
  }
}
