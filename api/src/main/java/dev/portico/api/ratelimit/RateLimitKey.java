package dev.portico.api.ratelimit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portico.api.route.HeaderMatch;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** What distinguishes one counter from another within a limit. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(self.type == 'Header') == has(self.header)",
    message = "header must be set exactly when type is Header")
public class RateLimitKey {
  @JsonPropertyDescription(
      "ClientAddress: the caller's address after trusted proxy hops. Header: a request header's"
          + " value. Route: one counter per route. None: one counter for everything.")
  @Default("None")
  public Type type = Type.None;

  @JsonPropertyDescription("Header name when type is Header.")
  @Size(max = 256)
  @Pattern(HeaderMatch.HEADER_NAME_PATTERN)
  public String header;

  /** Key kinds. */
  public enum Type {
    ClientAddress,
    Header,
    Route,
    None
  }
}
