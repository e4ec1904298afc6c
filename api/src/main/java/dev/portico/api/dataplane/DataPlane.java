package dev.portico.api.dataplane;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A gateway deployment (front door) that routes attach to; one snapshot is compiled per DataPlane.
 */
@Group("portico.dev")
@Version("v1alpha1")
@ShortNames("dp")
@Categories("portico")
@AdditionalPrinterColumn(
    name = "Listeners",
    jsonPath = ".spec.listeners[*].port",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Replicas",
    jsonPath = ".status.readyReplicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Routes",
    jsonPath = ".status.attachedRoutes",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Snapshot",
    jsonPath = ".status.snapshotVersion",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class DataPlane extends CustomResource<DataPlaneSpec, DataPlaneStatus>
    implements Namespaced {
  public static final String KIND = "DataPlane";

  @Override
  @JsonPropertyDescription(
      "Desired state: listeners, which namespaces may attach routes, replicas and image.")
  public DataPlaneSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "Observed state written by the operator: conditions, replicas and snapshot version.")
  public DataPlaneStatus getStatus() {
    return super.getStatus();
  }
}
