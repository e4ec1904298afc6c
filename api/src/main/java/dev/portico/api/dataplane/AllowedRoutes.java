package dev.portico.api.dataplane;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * Which namespaces may attach routes to a DataPlane: the tenancy boundary set by cluster admins.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.from == 'Selector' ? has(self.selector) : !has(self.selector)",
    message = "selector is required when from is Selector, and not allowed otherwise")
public class AllowedRoutes {
  @JsonPropertyDescription(
      "Same: only the DataPlane's namespace. All: every namespace. Selector: namespaces whose"
          + " labels match selector.")
  @Default("Same")
  public From from = From.Same;

  @JsonPropertyDescription("Label selector on namespaces; used when from is Selector.")
  public LabelSelector selector;

  /** Where attaching routes may come from. */
  public enum From {
    Same,
    All,
    Selector
  }
}
