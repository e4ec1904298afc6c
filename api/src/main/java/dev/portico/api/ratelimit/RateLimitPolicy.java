package dev.portico.api.ratelimit;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Request-rate limits attached to a GatewayRoute (or one rule) or to a whole DataPlane. */
@Group("portico.dev")
@Version("v1alpha1")
@ShortNames("rlp")
@Categories("portico")
@AdditionalPrinterColumn(
    name = "Target-Kind",
    jsonPath = ".spec.targetRef.kind",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Target",
    jsonPath = ".spec.targetRef.name",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Accepted",
    jsonPath = ".status.conditions[?(@.type==\"Accepted\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Enforced",
    jsonPath = ".status.conditions[?(@.type==\"Enforced\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class RateLimitPolicy extends CustomResource<RateLimitPolicySpec, RateLimitPolicyStatus>
    implements Namespaced {
  public static final String KIND = "RateLimitPolicy";

  @Override
  @JsonPropertyDescription(
      "Desired limits: a target (GatewayRoute, one of its rules, or a DataPlane) and its limits.")
  public RateLimitPolicySpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "Observed state written by the operator: whether the target was found and the limits programmed.")
  public RateLimitPolicyStatus getStatus() {
    return super.getStatus();
  }
}
