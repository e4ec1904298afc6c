package dev.portico.api.route;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A header name and value. */
public class HeaderValue {
  @JsonPropertyDescription("Header name.")
  @Required
  @Size(min = 1, max = 256)
  @Pattern(HeaderMatch.HEADER_NAME_PATTERN)
  public String name;

  @JsonPropertyDescription("Header value. Control characters are not allowed.")
  @Required
  @Size(max = 4096)
  @Pattern("^[^\\x00-\\x08\\x0A-\\x1F\\x7F]*$")
  public String value;
}
