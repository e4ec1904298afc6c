package dev.portico.api.dataplane;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portico.api.common.ResourceStatus;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** Observed state of a DataPlane: readiness, replicas and the snapshot they run. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class DataPlaneStatus extends ResourceStatus {
  /** Most replicas listed in replicaSnapshots, so that a large DataPlane's status stays small. */
  public static final int MAX_REPLICA_SNAPSHOTS = 100;

  @JsonPropertyDescription("Replicas the operator asked for.")
  public Integer replicas;

  @JsonPropertyDescription("Replicas that are ready and have acknowledged a snapshot.")
  public Integer readyReplicas;

  @JsonPropertyDescription("Content hash of the latest compiled snapshot for this DataPlane.")
  public String snapshotVersion;

  @JsonPropertyDescription("Number of GatewayRoutes attached to this DataPlane.")
  public Integer attachedRoutes;

  @JsonPropertyDescription(
      "The replicas connected to the operator's snapshot channel, sorted by name (the first 100):"
          + " the snapshot version each runs and the last version it refused, with the reason.")
  @Size(max = MAX_REPLICA_SNAPSHOTS)
  public List<ReplicaSnapshotStatus> replicaSnapshots = new ArrayList<>();
}
