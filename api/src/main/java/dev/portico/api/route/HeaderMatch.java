package dev.portico.api.route;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A header condition. Names compare case-insensitively. */
public class HeaderMatch {
  /** RFC 9110 token, the admission pattern for header names. */
  public static final String HEADER_NAME_PATTERN = "^[A-Za-z0-9!#$%&'*+\\-.^_`|~]+$";

  @JsonPropertyDescription("Exact value, or a RegularExpression matched against the whole value.")
  @Default("Exact")
  public StringMatchType type = StringMatchType.Exact;

  @JsonPropertyDescription("Header name.")
  @Required
  @Size(min = 1, max = 256)
  @Pattern(HEADER_NAME_PATTERN)
  public String name;

  @JsonPropertyDescription("Value or regular expression.")
  @Required
  @Size(max = 4096)
  public String value;
}
