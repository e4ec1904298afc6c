package dev.portico.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** Header edits: set replaces, add appends, remove deletes. Applied remove, set, add. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class HeaderModifier {
  @JsonPropertyDescription("Headers to set, replacing any existing values.")
  @Size(max = 16)
  public List<HeaderValue> set = new ArrayList<>();

  @JsonPropertyDescription("Headers to append to any existing values.")
  @Size(max = 16)
  public List<HeaderValue> add = new ArrayList<>();

  @JsonPropertyDescription("Header names to remove.")
  @Size(max = 16)
  public List<@Size(max = 256) @Pattern(HeaderMatch.HEADER_NAME_PATTERN) String> remove =
      new ArrayList<>();
}
