package dev.portico.dataplane.server;

import dev.portico.dataplane.accesslog.AccessLog;
import dev.portico.dataplane.admin.AdminState;
import dev.portico.dataplane.auth.AuthServices;
import dev.portico.dataplane.metrics.ProxyMetrics;
import dev.portico.dataplane.proxy.EndpointRegistry;
import dev.portico.dataplane.proxy.UpstreamClient;
import dev.portico.dataplane.ratelimit.BucketStore;
import dev.portico.dataplane.ratelimit.RateLimiter;
import dev.portico.dataplane.ratelimit.global.RedisStores;
import dev.portico.snapshot.Snapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving half of the data plane, fed by a snapshot source (standalone files, later the
 * operator): holds the current snapshot, the listeners, the upstream client and the endpoint
 * registry, and drains on shutdown. Also what the admin port reports.
 */
public final class Gateway implements AdminState {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final SnapshotHolder snapshots = new SnapshotHolder();
  private final EndpointRegistry endpoints;
  private final UpstreamClient upstream;
  private final ListenerManager listeners;
  private final ProxyMetrics metrics;
  private final RateLimiter rateLimiter;
  private final RedisStores redisStores;
  private final AuthServices auth;
  private volatile boolean draining;
  private Future<Void> last = Future.succeededFuture();

  /**
   * @param bindHost address the listeners bind ({@code 0.0.0.0} for all)
   * @param instances server instances (event loops) per listener port
   * @param drainMillis how long in-flight requests get when a listener closes
   * @param metrics null for none
   * @param accessLog null for none
   */
  public Gateway(
      Vertx vertx,
      String bindHost,
      int instances,
      long drainMillis,
      EndpointRegistry endpoints,
      ProxyMetrics metrics,
      AccessLog accessLog) {
    this.endpoints = endpoints;
    this.metrics = metrics;
    this.upstream = new UpstreamClient(vertx);
    this.redisStores =
        new RedisStores(vertx, metrics == null ? null : metrics.registry(), drainMillis);
    this.rateLimiter = new RateLimiter(new BucketStore(), metrics, redisStores);
    this.auth = AuthServices.of(vertx);
    this.listeners =
        new ListenerManager(
            vertx,
            bindHost,
            instances,
            drainMillis,
            port ->
                new GatewayRequestHandler(
                    port, snapshots, vertx, upstream.client(), metrics, accessLog),
            metrics);
  }

  public EndpointRegistry endpoints() {
    return endpoints;
  }

  /** The data plane's meters; null when it has none (some tests). */
  public ProxyMetrics metrics() {
    return metrics;
  }

  /**
   * Serves {@code snapshot} from now on, unless it cannot be served; then the current one stays and
   * the future fails with the reason. Calls are applied one after the other.
   */
  public synchronized Future<Void> apply(Snapshot snapshot) {
    last = last.transform(ignored -> load(snapshot));
    return last;
  }

  private Future<Void> load(Snapshot snapshot) {
    LoadedSnapshot next;
    try {
      next = LoadedSnapshot.load(snapshot, endpoints, rateLimiter, snapshots.current(), auth);
    } catch (RuntimeException e) {
      rejected();
      return Future.failedFuture(e);
    }
    return listeners
        .open(snapshot.listeners(), snapshot.proxy())
        .compose(
            v -> {
              LoadedSnapshot previous = snapshots.swap(next);
              rateLimiter.served(next.rateLimits(), snapshot.redis());
              if (metrics != null) {
                metrics.snapshotLoaded(snapshot, id -> next.rule(id) != null);
              }
              LOG.info(
                  "serving snapshot {} of {} ({} rules)",
                  snapshot.version(),
                  snapshot.dataPlane(),
                  snapshot.rules().size());
              if (previous != null && !previous.proxy().equals(snapshot.proxy())) {
                LOG.info(
                    "proxy settings changed: header, URI and timeout limits apply to listeners"
                        + " opened from now on; restart to apply them to open ones");
              }
              return listeners.retain(next.ports());
            },
            e -> {
              rejected();
              return Future.failedFuture(e);
            });
  }

  private void rejected() {
    if (metrics != null) {
      metrics.snapshotRejected();
    }
  }

  /** The snapshot new requests use, or null before the first one. */
  public LoadedSnapshot current() {
    return snapshots.current();
  }

  /**
   * Fails readiness, stops accepting and lets in-flight requests finish up to the drain deadline,
   * then closes the upstream pools.
   */
  public synchronized Future<Void> shutdown() {
    draining = true;
    last =
        last.transform(ignored -> listeners.closeAll())
            .transform(
                ar -> {
                  redisStores.close();
                  return upstream.close();
                });
    return last;
  }

  @Override
  public boolean live() {
    return true;
  }

  @Override
  public boolean ready() {
    return !draining && snapshots.current() != null && listeners.isOpen();
  }

  @Override
  public Snapshot snapshot() {
    LoadedSnapshot current = snapshots.current();
    return current == null ? null : current.snapshot();
  }
}
