package dev.portico.dataplane.cluster;

import dev.portico.dataplane.discovery.EndpointSliceDiscovery;
import dev.portico.dataplane.server.Gateway;
import dev.portico.snapshot.Snapshot;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * Runs the data plane inside a cluster: snapshots from the operator's channel, endpoints from the
 * EndpointSlices of the Services each snapshot names. Not ready until a first snapshot is served:
 * the operator's, or, when it cannot be reached at start, the last known good one it stored.
 */
public final class ClusterMode implements AutoCloseable {
  /** How long a starting replica waits for the operator before it serves the stored snapshot. */
  private static final Duration LAST_GOOD_WAIT = Duration.ofSeconds(5);

  private static final Duration LAST_GOOD_RETRY = Duration.ofSeconds(5);

  private final EndpointSliceDiscovery discovery;
  private final SnapshotApplier applier;
  private final OperatorChannelClient channel;
  private final LastGoodFallback lastGood;

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
    this.lastGood =
        args.lastGood()
            ? new LastGoodFallback(
                LastGoodSnapshot.of(client, args)::read,
                applier::streamed,
                applier::offerIfNothingYet,
                LAST_GOOD_WAIT,
                LAST_GOOD_RETRY)
            : null;
    if (lastGood != null) {
      channel.onFailure(lastGood::connectionFailed);
    }
  }

  public void start() {
    if (lastGood != null) {
      lastGood.start();
    }
    channel.start();
  }

  @Override
  public void close() {
    if (lastGood != null) {
      lastGood.close();
    }
    channel.close();
    applier.close();
    discovery.close();
  }
}
