package dev.portico.api.ratelimit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** What a policy limits and how: a target and one or more limits that must all pass. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class RateLimitPolicySpec {
  @JsonPropertyDescription(
      "The GatewayRoute (in this namespace) or DataPlane (admins, from the DataPlane's"
          + " namespace) the limits apply to.")
  @Required
  public PolicyTargetRef targetRef;

  @JsonPropertyDescription("Limits; a request must pass every one. Names are unique.")
  @Required
  @Size(min = 1, max = 16)
  @ValidationRule(
      value = "self.all(l, self.exists_one(m, m.name == l.name))",
      message = "limit names must be unique")
  public List<RateLimit> limits = new ArrayList<>();
}
