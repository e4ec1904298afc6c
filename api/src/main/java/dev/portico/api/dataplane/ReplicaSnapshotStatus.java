package dev.portico.api.dataplane;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One data-plane replica connected to the operator: the snapshot it runs and its last refusal. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReplicaSnapshotStatus {
  /** Longest refusedReason the operator writes; longer reasons are cut and end in "…". */
  public static final int MAX_REASON = 256;

  /**
   * Longest version the operator writes: versions are 16 hex digits, with room for a longer hash.
   */
  public static final int MAX_VERSION = 64;

  @JsonPropertyDescription("The replica's pod name, as it reported it on the snapshot channel.")
  @Required
  @Size(max = 253)
  public String replica;

  @JsonPropertyDescription(
      "The snapshot version the replica runs: the last one it applied (absent until it has"
          + " applied one).")
  @Size(max = MAX_VERSION)
  public String version;

  @JsonPropertyDescription(
      "The last snapshot version the replica refused to apply; it keeps serving version."
          + " Cleared once it applies a version.")
  @Size(max = MAX_VERSION)
  public String refusedVersion;

  @JsonPropertyDescription(
      "Why the replica refused refusedVersion, as it reported it (at most 256 characters).")
  @Size(max = MAX_REASON)
  public String refusedReason;

  public ReplicaSnapshotStatus() {}

  public ReplicaSnapshotStatus(
      String replica, String version, String refusedVersion, String refusedReason) {
    this.replica = replica;
    this.version = version;
    this.refusedVersion = refusedVersion;
    this.refusedReason = refusedReason;
  }
}
