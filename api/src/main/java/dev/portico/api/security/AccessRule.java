package dev.portico.api.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/**
 * One access rule: it matches when every condition given matches (within a list, any entry
 * suffices; claims must all hold).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(
    value =
        "(has(self.methods) && size(self.methods) > 0) || (has(self.clientCIDRs) &&"
            + " size(self.clientCIDRs) > 0) || (has(self.claims) && size(self.claims) > 0) ||"
            + " (has(self.consumers) && size(self.consumers) > 0) || (has(self.groups) &&"
            + " size(self.groups) > 0) || has(self.authenticated)",
    message =
        "an access rule needs at least one condition (methods, clientCIDRs, claims, consumers,"
            + " groups or authenticated)")
public class AccessRule {
  /** IPv4 or IPv6 CIDR (or a bare address); the compiler checks the address itself. */
  public static final String CIDR_PATTERN = "^[0-9a-fA-F:.]+(/[0-9]{1,3})?$";

  @JsonPropertyDescription("Request methods, e.g. GET; any one matches.")
  @Size(max = 16)
  public List<@Size(min = 1, max = 32) @Pattern("^[A-Z]+$") String> methods = new ArrayList<>();

  @JsonPropertyDescription(
      "Client address ranges (IPv4 or IPv6 CIDR); the client address is the one left after"
          + " the DataPlane's trustedHops, as for rate limits.")
  @Size(max = 64)
  public List<@Size(min = 2, max = 64) @Pattern(CIDR_PATTERN) String> clientCIDRs =
      new ArrayList<>();

  @JsonPropertyDescription("Conditions on JWT claims; all must hold. Never match without a JWT.")
  @Size(max = 16)
  public List<ClaimRequirement> claims = new ArrayList<>();

  @JsonPropertyDescription("Consumer names (API-key consumers, Basic user names); any one matches.")
  @Size(max = 64)
  public List<@Size(min = 1, max = 253) String> consumers = new ArrayList<>();

  @JsonPropertyDescription("API-key consumer groups; the caller must be in one of them.")
  @Size(max = 64)
  public List<@Size(min = 1, max = 253) String> groups = new ArrayList<>();

  @JsonPropertyDescription(
      "true: matches authenticated callers only; false: anonymous callers only (with"
          + " allowAnonymous).")
  public Boolean authenticated;
}
