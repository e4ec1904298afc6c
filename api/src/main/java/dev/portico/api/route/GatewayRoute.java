package dev.portico.api.route;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** HTTP routing rules a team attaches to one or more DataPlanes. */
@Group("portico.dev")
@Version("v1alpha1")
@ShortNames("gwr")
@Categories("portico")
@AdditionalPrinterColumn(
    name = "Hostnames",
    jsonPath = ".spec.hostnames",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Parent",
    jsonPath = ".spec.parentRefs[*].name",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Accepted",
    jsonPath = ".status.conditions[?(@.type==\"Accepted\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Programmed",
    jsonPath = ".status.conditions[?(@.type==\"Programmed\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class GatewayRoute extends CustomResource<GatewayRouteSpec, GatewayRouteStatus>
    implements Namespaced {
  public static final String KIND = "GatewayRoute";

  @Override
  @JsonPropertyDescription(
      "Desired routing: parent DataPlanes, hostnames and rules (matches, filters, one action).")
  public GatewayRouteSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "Observed state written by the operator: summary conditions and per-parent status.")
  public GatewayRouteStatus getStatus() {
    return super.getStatus();
  }
}
