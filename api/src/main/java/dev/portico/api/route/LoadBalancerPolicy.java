package dev.portico.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/** Endpoint selection for a rule's backends. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(self.type == 'ConsistentHash') == has(self.hashOn)",
    message = "hashOn must be set exactly when type is ConsistentHash")
public class LoadBalancerPolicy {
  @JsonPropertyDescription(
      "RoundRobin; LeastRequest (power of two choices); ConsistentHash (same key, same"
          + " endpoint, with minimal remapping when endpoints change).")
  @Default("RoundRobin")
  public Type type = Type.RoundRobin;

  @JsonPropertyDescription("The key of a ConsistentHash balancer.")
  public HashOn hashOn;

  /** Balancer kinds. */
  public enum Type {
    RoundRobin,
    LeastRequest,
    ConsistentHash
  }
}
