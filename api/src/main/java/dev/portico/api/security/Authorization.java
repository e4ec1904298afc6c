package dev.portico.api.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/**
 * Access rules on the authenticated caller and the request, evaluated on the normalized path's rule
 * after authentication and before rate limits: deny first, then allow.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class Authorization {
  @JsonPropertyDescription(
      "A request matching any of these rules is refused with 403, whatever the allow rules say.")
  @Size(max = 32)
  public List<AccessRule> deny = new ArrayList<>();

  @JsonPropertyDescription(
      "When given, a request must match one of these rules: otherwise 403 (401 for an anonymous"
          + " caller, who may still authenticate). Empty: every request not denied passes.")
  @Size(max = 32)
  public List<AccessRule> allow = new ArrayList<>();
}
