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
@ValidationRule(
    value = "(self.type == 'JwtClaim') == has(self.claim)",
    message = "claim must be set exactly when type is JwtClaim")
public class RateLimitKey {
  @JsonPropertyDescription(
      "ClientAddress: the caller's address after trusted proxy hops. Header: a request header's"
          + " value. JwtClaim: a claim of the caller's verified JWT (top level, a string or a"
          + " number). Consumer: the authenticated caller (API-key consumer or Basic user; for a"
          + " JWT its subject). Route: one counter per route. None: one counter for everything."
          + " Requests without the value (no header, no identity) share one counter.")
  @Default("None")
  public Type type = Type.None;

  @JsonPropertyDescription("Header name when type is Header.")
  @Size(max = 256)
  @Pattern(HeaderMatch.HEADER_NAME_PATTERN)
  public String header;

  @JsonPropertyDescription("Claim name when type is JwtClaim, e.g. sub or tenant.")
  @Size(min = 1, max = 256)
  public String claim;

  /** Key kinds. */
  public enum Type {
    ClientAddress,
    Header,
    JwtClaim,
    Consumer,
    Route,
    None
  }
}
