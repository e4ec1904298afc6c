package dev.portico.api.security;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portico.api.route.HeaderMatch;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A token claim copied into a request header. */
public class ClaimHeader {
  @JsonPropertyDescription(
      "Top-level claim name, e.g. email. Strings are copied as they are, numbers and booleans"
          + " as text, arrays joined with commas; a value with control characters or over 4 KiB"
          + " is left out.")
  @Required
  @Size(min = 1, max = 128)
  public String claim;

  @JsonPropertyDescription(
      "Header the backend receives, e.g. X-User-Email. Hop-by-hop, proxy and X-Portico-*"
          + " headers are refused.")
  @Required
  @Size(min = 1, max = 256)
  @Pattern(HeaderMatch.HEADER_NAME_PATTERN)
  public String header;
}
