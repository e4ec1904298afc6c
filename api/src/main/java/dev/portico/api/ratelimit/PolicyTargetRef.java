package dev.portico.api.ratelimit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portico.api.dataplane.Listener;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The object a policy applies to, always in the policy's own namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.kind == 'GatewayRoute' || !has(self.ruleName)",
    message = "ruleName is only allowed when kind is GatewayRoute")
public class PolicyTargetRef {
  @JsonPropertyDescription("GatewayRoute or DataPlane.")
  @Required
  public Kind kind;

  @JsonPropertyDescription("Name of the target, in the policy's namespace.")
  @Required
  @Size(min = 1, max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  public String name;

  @JsonPropertyDescription("Limit only this named rule of the GatewayRoute.")
  @Size(max = 63)
  @Pattern(Listener.DNS_LABEL_PATTERN)
  public String ruleName;

  /** Kinds a policy may target. */
  public enum Kind {
    GatewayRoute,
    DataPlane
  }
}
