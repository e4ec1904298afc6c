package dev.portico.dataplane.server;

import dev.portico.dataplane.metrics.ProxyMetrics;
import dev.portico.snapshot.ProxySettingsConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens and closes the listener ports as snapshots come and go: a port a new snapshot adds is bound
 * before the snapshot is swapped in, a port it drops is drained after. Calls are serialized by
 * {@link Gateway}.
 */
final class ListenerManager {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerManager.class);

  private final Vertx vertx;
  private final String bindHost;
  private final int instances;
  private final long drainMillis;
  private final IntFunction<Handler<HttpServerRequest>> handlers;
  private final ProxyMetrics metrics;
  private final Map<Integer, String> deployments = new HashMap<>();

  ListenerManager(
      Vertx vertx,
      String bindHost,
      int instances,
      long drainMillis,
      IntFunction<Handler<HttpServerRequest>> handlers,
      ProxyMetrics metrics) {
    this.vertx = vertx;
    this.bindHost = bindHost;
    this.instances = instances;
    this.drainMillis = drainMillis;
    this.handlers = handlers;
    this.metrics = metrics;
  }

  /** Binds every port of {@code ports} not open yet; on failure, closes what it opened. */
  Future<Void> open(Set<Integer> ports, ProxySettingsConfig settings) {
    List<Integer> added = new ArrayList<>();
    List<Future<String>> deploying = new ArrayList<>();
    for (int port : ports) {
      if (!deployments.containsKey(port)) {
        added.add(port);
        deploying.add(deploy(port, settings));
      }
    }
    return Future.join(deploying)
        .transform(
            ar -> {
              List<Future<?>> rollback = new ArrayList<>();
              for (int i = 0; i < added.size(); i++) {
                Future<String> f = deploying.get(i);
                if (f.succeeded()) {
                  deployments.put(added.get(i), f.result());
                  if (ar.failed()) {
                    rollback.add(close(added.get(i)));
                  }
                }
              }
              if (ar.succeeded()) {
                added.forEach(p -> LOG.info("listening on {}:{}", bindHost, p));
                return Future.succeededFuture();
              }
              return Future.join(rollback).transform(x -> Future.<Void>failedFuture(ar.cause()));
            });
  }

  /** Drains and closes every open port not in {@code ports}. */
  Future<Void> retain(Set<Integer> ports) {
    List<Future<?>> closing = new ArrayList<>();
    for (int port : List.copyOf(deployments.keySet())) {
      if (!ports.contains(port)) {
        closing.add(close(port));
      }
    }
    return Future.join(closing).mapEmpty();
  }

  Future<Void> closeAll() {
    return retain(Set.of());
  }

  boolean isOpen() {
    return !deployments.isEmpty();
  }

  private Future<?> close(int port) {
    String id = deployments.remove(port);
    LOG.info("closing listener {}", port);
    return id == null ? Future.succeededFuture() : vertx.undeploy(id);
  }

  private Future<String> deploy(int port, ProxySettingsConfig s) {
    HttpServerOptions options =
        new HttpServerOptions()
            .setMaxHeaderSize(s.maxHeaderBytes())
            // Request line = method + target + version: room for the longest method and version,
            // so the limit is about the URI; the guard enforces maxUriLength exactly.
            .setMaxInitialLineLength(s.maxUriLength() + 64)
            .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, s.idleTimeoutMillis()))
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
            .setHttp2ClearTextEnabled(true)
            .setHandle100ContinueAutomatically(true)
            .setCompressionSupported(false)
            .setDecompressionSupported(false)
            .setTcpNoDelay(true);
    Handler<HttpServerRequest> handler = handlers.apply(port);
    return vertx.deployVerticle(
        () ->
            new ListenerVerticle(
                port,
                bindHost,
                options,
                handler,
                s.requestHeaderTimeoutMillis(),
                drainMillis,
                metrics),
        new DeploymentOptions().setInstances(instances));
  }
}
