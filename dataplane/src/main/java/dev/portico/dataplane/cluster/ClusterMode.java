package dev.portico.dataplane.cluster;

import dev.portico.dataplane.discovery.EndpointSliceDiscovery;
import dev.portico.dataplane.server.Gateway;
import dev.portico.snapshot.Snapshot;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;

/**
 * Runs the data plane inside a cluster: snapshots from the operator's channel, endpoints from the
 * EndpointSlices of the Services each snapshot names. Not ready until a first snapshot is served.
 */
public final class ClusterMode implements AutoCloseable {
  private final EndpointSliceDiscovery discovery;
  private final SnapshotApplier applier;
  private final OperatorChannelClient channel;

  public ClusterMode(Vertx vertx, ClusterArgs args, Gateway gateway, KubernetesClient client) {
    this.discovery = new EndpointSliceDiscovery(client, gateway.endpoints());
    this.applier = new SnapshotApplier(gateway, discovery);
    this.channel =
        new OperatorChannelClient(
            vertx,
            args,
            applier::offer,
            () -> {
              Snapshot s = gateway.snapshot();
              return s == null ? null : s.version();
            });
    applier.answerTo(channel::acknowledge);
    applier.onResync(channel::resync);
  }

  public void start() {
    channel.start();
  }

  @Override
  public void close() {
    channel.close();
    applier.close();
    discovery.close();
  }
}
