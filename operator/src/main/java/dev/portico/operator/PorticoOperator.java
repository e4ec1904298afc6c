package dev.portico.operator;

import dev.portico.operator.admin.OperatorMetrics;
import dev.portico.operator.compile.CompileLoop;
import dev.portico.operator.compile.CompileScheduler;
import dev.portico.operator.index.ResourceIndex;
import dev.portico.operator.publish.LatestSnapshotPublisher;
import dev.portico.operator.reconcile.Reconcilers;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

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
  private final LatestSnapshotPublisher publisher = new LatestSnapshotPublisher();
  private final Operator operator;
  private volatile boolean started;

  public PorticoOperator(KubernetesClient client, OperatorOptions options, MeterRegistry registry) {
    this.metrics = new OperatorMetrics(registry);
    CompileLoop[] loopRef = new CompileLoop[1];
    this.scheduler =
        new CompileScheduler(options.holdOff(), options.maxDelay(), () -> loopRef[0].compileNow());
    this.index = new ResourceIndex(client, options.watchNamespaces(), scheduler::request);
    this.loop = new CompileLoop(index::bundle, publisher, metrics);
    loopRef[0] = loop;
    this.operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withUseSSAToPatchPrimaryResource(options.serverSideApply())
                  .withSSABasedCreateUpdateMatchForDependentResources(options.serverSideApply())
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
              if (options.leaseNamespace() != null) {
                o.withLeaderElectionConfiguration(
                    LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                            "portico-operator")
                        .withLeaseNamespace(options.leaseNamespace())
                        .withIdentity(options.identity())
                        .build());
              }
            });
    Reconcilers.register(operator, client, loop, options, metrics, Clock.systemUTC());
  }

  /** Syncs the caches, compiles once, then starts the reconcilers (or the leader election). */
  public void start() {
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

  public LatestSnapshotPublisher publisher() {
    return publisher;
  }

  public OperatorMetrics metrics() {
    return metrics;
  }

  @Override
  public void close() {
    operator.stop();
    scheduler.close();
    index.close();
  }
}
