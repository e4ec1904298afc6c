package dev.portico.api.dataplane;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portico.api.common.ResourceStatus;

/** Observed state of a DataPlane: readiness, replicas and the snapshot they run. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class DataPlaneStatus extends ResourceStatus {
  @JsonPropertyDescription("Replicas the operator asked for.")
  public Integer replicas;

  @JsonPropertyDescription("Replicas that are ready and have acknowledged a snapshot.")
  public Integer readyReplicas;

  @JsonPropertyDescription("Content hash of the latest compiled snapshot for this DataPlane.")
  public String snapshotVersion;

  @JsonPropertyDescription("Number of GatewayRoutes attached to this DataPlane.")
  public Integer attachedRoutes;
}
