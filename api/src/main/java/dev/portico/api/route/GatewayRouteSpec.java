package dev.portico.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portico.api.dataplane.Listener;
import dev.portico.api.security.SecurityPolicy;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** Desired routing: where the route attaches, which hostnames it serves, and its rules. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class GatewayRouteSpec {
  @JsonPropertyDescription("The DataPlanes (and optionally listeners) this route attaches to.")
  @Required
  @Size(min = 1, max = 8)
  public List<ParentRef> parentRefs = new ArrayList<>();

  @JsonPropertyDescription(
      "Hostnames this route serves, matched case-insensitively against the Host header (port"
          + " ignored). A leading '*.' label is a wildcard. Empty means every hostname the"
          + " listener accepts.")
  @Size(max = 16)
  public List<@Size(max = 253) @Pattern(Listener.HOSTNAME_PATTERN) String> hostnames =
      new ArrayList<>();

  @JsonPropertyDescription(
      "Rules, each with matches, filters and one action. Rule names, when given, are unique.")
  @Required
  @Size(min = 1, max = 64)
  @ValidationRule(
      value = "self.all(r, !has(r.name) || self.exists_one(o, has(o.name) && o.name == r.name))",
      message = "rule names must be unique")
  public List<RouteRule> rules = new ArrayList<>();

  @JsonPropertyDescription(
      "Who may call this route's rules, for every rule without a security block of its own."
          + " Replaces the DataPlane's spec.security; see docs/security.md.")
  public SecurityPolicy security;
}
