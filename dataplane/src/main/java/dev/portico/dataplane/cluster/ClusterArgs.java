package dev.portico.dataplane.cluster;

import java.net.URI;
import java.nio.file.Path;

/**
 * The options of {@code cluster}, as the operator's Deployment sets them.
 *
 * @param dataPlane {@code namespace/name}
 * @param operator the channel's base URL, {@code https://host:port}
 * @param operatorCa PEM file of the CA the channel's certificate is issued by
 * @param tokenFile the audience-bound ServiceAccount token (re-read on every request: it rotates)
 * @param replica this pod's name, as the operator reports it
 * @param lastGoodNamespace where the operator stores the last known good snapshot (its own
 *     namespace); null: no fallback
 * @param lastGoodName the name prefix of its Secrets ({@code <prefix>-0} ...); null: no fallback
 */
public record ClusterArgs(
    String dataPlane,
    URI operator,
    Path operatorCa,
    Path tokenFile,
    String replica,
    String bind,
    int adminPort,
    long drainMillis,
    String lastGoodNamespace,
    String lastGoodName) {

  public String namespace() {
    return dataPlane.substring(0, dataPlane.indexOf('/'));
  }

  public String name() {
    return dataPlane.substring(dataPlane.indexOf('/') + 1);
  }

  /** Whether a last known good snapshot may be read when the operator cannot be reached. */
  public boolean lastGood() {
    return lastGoodNamespace != null && lastGoodName != null;
  }

  /** Where this replica's snapshots stream from. */
  URI snapshots() {
    return operator.resolve("/v1/dataplanes/" + namespace() + "/" + name() + "/snapshots");
  }

  URI acks() {
    return operator.resolve("/v1/dataplanes/" + namespace() + "/" + name() + "/acks");
  }
}
