package dev.portico.api.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A condition on one top-level claim of the caller's JWT. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.equals) ? 1 : 0) + (has(self.contains) ? 1 : 0) + (has(self.includes) ? 1 :"
            + " 0) == 1",
    message = "a claim condition needs exactly one of equals, contains and includes")
public class ClaimRequirement {
  @JsonPropertyDescription("Top-level claim name, e.g. sub, scope, groups.")
  @Required
  @Size(min = 1, max = 128)
  public String name;

  @JsonPropertyDescription(
      "The claim is this string (or a number or boolean written this way), e.g. sub equals"
          + " 'alice'.")
  @Size(max = 1024)
  public String equals;

  @JsonPropertyDescription(
      "The claim is a space-separated string holding this word (OAuth 'scope'), or an array"
          + " holding it.")
  @Size(min = 1, max = 1024)
  public String contains;

  @JsonPropertyDescription(
      "The claim is an array holding this string (e.g. groups includes 'admin'), or this very"
          + " string.")
  @Size(min = 1, max = 1024)
  public String includes;
}
