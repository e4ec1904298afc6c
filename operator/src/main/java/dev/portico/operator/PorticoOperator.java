package dev.portico.operator;

import dev.portico.operator.admin.OperatorMetrics;
import dev.portico.operator.channel.ChannelCa;
import dev.portico.operator.channel.ChannelServer;
import dev.portico.operator.channel.LeaderPodLabel;
import dev.portico.operator.channel.SnapshotChannel;
import dev.portico.operator.channel.TokenReviewAuthenticator;
import dev.portico.operator.compile.CompileLoop;
import dev.portico.operator.compile.CompileScheduler;
import dev.portico.operator.index.ResourceIndex;
import dev.portico.operator.lastgood.LastGoodStore;
import dev.portico.operator.lastgood.LastGoodWriter;
import dev.portico.operator.publish.LatestSnapshotPublisher;
import dev.portico.operator.publish.ReplicaState;
import dev.portico.operator.publish.SnapshotPublisher;
import dev.portico.operator.reconcile.Reconcilers;
import dev.portico.operator.status.EventRecorder;
import dev.portico.snapshot.StoredSnapshot;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Wires the pipeline: informers ({@link ResourceIndex}) feed a debounced {@link CompileLoop}, whose
 * results go to the snapshot publisher and, through JOSDK reconcilers, to every object's status.
 * Every replica keeps caches and compiles (any may serve snapshots); only the leader runs the
 * reconcilers that write status and workloads.
 */
public final class PorticoOperator implements AutoCloseable {
  private final ResourceIndex index;
  private final CompileScheduler scheduler;
  private final CompileLoop loop;
  private final OperatorMetrics metrics;
  private final SnapshotPublisher publisher;
  private final SnapshotChannel channel;
  private final ChannelServer channelServer;
  private final Operator operator;

  /** How long replicas get to reconnect before "none connected" shows on Programmed. */
  private static final Duration SETTLING = Duration.ofSeconds(20);

  /** At most one last-known-good write per DataPlane in this period. */
  private static final Duration LAST_GOOD_INTERVAL = Duration.ofSeconds(2);

  private final String caPem;
  private final LeaderPodLabel leaderLabel;
  private final LastGoodWriter lastGood;
  private volatile boolean started;

  public PorticoOperator(KubernetesClient client, OperatorOptions options, MeterRegistry registry)
      throws IOException {
    this.metrics = new OperatorMetrics(registry);
    if (options.channelPort() >= 0) {
      channel = new SnapshotChannel();
      ChannelCa ca =
          options.channelNamespace() == null
              ? ChannelCa.ephemeral()
              : ChannelCa.loadOrCreate(client, options.channelNamespace());
      caPem = ca.certPem();
      channelServer =
          new ChannelServer(
              options.channelPort(),
              ca.serverContext(channelDnsNames(options), List.of("127.0.0.1")),
              channel,
              new TokenReviewAuthenticator(client));
      publisher = channel;
    } else {
      channel = null;
      channelServer = null;
      caPem = null;
      publisher = new LatestSnapshotPublisher();
    }
    CompileLoop[] loopRef = new CompileLoop[1];
    this.scheduler =
        new CompileScheduler(options.holdOff(), options.maxDelay(), () -> loopRef[0].compileNow());
    this.index = new ResourceIndex(client, options.watchNamespaces(), scheduler::request);
    this.loop = new CompileLoop(index::bundle, publisher, metrics);
    loopRef[0] = loop;
    // Stored where the channel CA is; without a namespace (tests, dry runs) nothing is stored.
    this.lastGood =
        channel != null && options.channelNamespace() != null
            ? lastGoodWriter(client, options.channelNamespace(), channel, index)
            : null;
    // In a pod, identity and lease namespace are the pod's own name and namespace.
    this.leaderLabel =
        channel != null && options.leaseNamespace() != null
            ? new LeaderPodLabel(client, options.leaseNamespace(), options.identity())
            : null;
    if (channel != null) {
      channel.onProgrammedChange(loop::programmedChanged);
      channel.onSettled(loop::recheck);
    }
    if (lastGood != null) {
      channel.onProgrammedChange(lastGood::replicasChanged);
      loop.onResult(changed -> loop.latest().ifPresent(r -> lastGood.published(r.snapshots())));
    }
    this.operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withUseSSAToPatchPrimaryResource(options.serverSideApply())
                  .withSSABasedCreateUpdateMatchForDependentResources(options.serverSideApply())
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
              if (options.leaseNamespace() != null) {
                var election =
                    LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                            "portico-operator")
                        .withLeaseNamespace(options.leaseNamespace())
                        .withIdentity(options.identity());
                if (leaderLabel != null) {
                  election.withLeaderCallbacks(
                      new LeaderCallbacks(
                          () -> {
                            channel.beginSettling(SETTLING);
                            leaderLabel.claim();
                            if (lastGood != null) {
                              lastGood.lead();
                            }
                          },
                          () -> {
                            if (lastGood != null) {
                              lastGood.stopLeading();
                            }
                          },
                          leader -> {}));
                }
                o.withLeaderElectionConfiguration(election.build());
              }
            });
    Reconcilers.register(
        operator, client, loop, options, metrics, Clock.systemUTC(), caPem, lastGood);
  }

  private static LastGoodWriter lastGoodWriter(
      KubernetesClient client, String namespace, SnapshotChannel channel, ResourceIndex index) {
    EventRecorder events = new EventRecorder(client, Clock.systemUTC());
    return new LastGoodWriter(
        new LastGoodStore(client, namespace, Clock.systemUTC()),
        dp ->
            channel.replicas(dp).values().stream()
                .map(ReplicaState::running)
                .filter(Objects::nonNull)
                .toList(),
        index::dataPlane,
        (dp, message) -> events.warning(dp, LastGoodWriter.TOO_LARGE_REASON, message),
        StoredSnapshot.CHUNK_BYTES,
        LAST_GOOD_INTERVAL);
  }

  /** Syncs the caches, compiles once, then starts the reconcilers (or the leader election). */
  public void start() {
    if (leaderLabel != null) {
      leaderLabel.release();
    } else if (channel != null) {
      channel.beginSettling(SETTLING);
    }
    if (lastGood != null && leaderLabel == null) {
      lastGood.lead(); // no election: this replica writes
    }
    index.start(); // informer events before the caches synced do not schedule compiles
    scheduler.request();
    operator.start();
    started = true;
  }

  /** Ready once the caches synced, a compile ran on them and the reconcilers started. */
  public boolean ready() {
    return started && loop.latest().isPresent();
  }

  public CompileLoop compileLoop() {
    return loop;
  }

  public SnapshotPublisher publisher() {
    return publisher;
  }

  /** The snapshot channel's HTTPS port, when distribution is on. */
  public Optional<Integer> channelPort() {
    return Optional.ofNullable(channelServer).map(ChannelServer::port);
  }

  /** The PEM certificate data planes trust the channel by, when distribution is on. */
  public Optional<String> channelCaPem() {
    return Optional.ofNullable(caPem);
  }

  private static List<String> channelDnsNames(OperatorOptions options) {
    List<String> names = new ArrayList<>(List.of("localhost"));
    String host = URI.create(options.operatorAddress()).getHost();
    if (host != null) {
      names.add(host);
    }
    if (options.channelNamespace() != null) {
      names.add("portico-operator-channel." + options.channelNamespace() + ".svc");
      names.add("portico-operator-channel." + options.channelNamespace() + ".svc.cluster.local");
    }
    return names.stream().distinct().toList();
  }

  public OperatorMetrics metrics() {
    return metrics;
  }

  @Override
  public void close() {
    operator.stop();
    if (lastGood != null) {
      lastGood.close();
    }
    if (channelServer != null) {
      channelServer.close();
    }
    scheduler.close();
    loop.close();
    index.close();
  }
}
