package dev.portico.dataplane.server;

import dev.portico.dataplane.metrics.ProxyMetrics;
import dev.portico.snapshot.ListenerConfig;
import dev.portico.snapshot.ProxySettingsConfig;
import dev.portico.snapshot.TlsCertificate;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.ServerSSLOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens and closes the listener ports as snapshots come and go: a port a new snapshot adds is bound
 * before the snapshot is swapped in, a port it drops is drained after. An open HTTPS port whose
 * certificates changed gets them in place ({@code updateSSLOptions}): new handshakes use them,
 * connections already open are untouched. A port that changes between HTTP and HTTPS is closed and
 * opened again. Calls are serialized by {@link Gateway}.
 */
final class ListenerManager {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerManager.class);

  /** An open port: its deployment, its TLS certificates (null for HTTP) and its server sockets. */
  private record Open(
      String deployment, List<TlsCertificate> tls, List<ListenerVerticle> servers) {}

  private final Vertx vertx;
  private final String bindHost;
  private final int instances;
  private final long drainMillis;
  private final IntFunction<Handler<HttpServerRequest>> handlers;
  private final ProxyMetrics metrics;
  private final Map<Integer, Open> open = new HashMap<>();

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

  /**
   * Binds every listener not open yet and gives open HTTPS listeners their new certificates; on
   * failure, closes what it opened (certificates already replaced stay: they were valid).
   */
  Future<Void> open(List<ListenerConfig> listeners, ProxySettingsConfig settings) {
    List<Future<?>> reopening = new ArrayList<>();
    List<Future<Boolean>> updating = new ArrayList<>();
    Map<Integer, Open> updated = new HashMap<>();
    for (ListenerConfig l : listeners) {
      Open current = open.get(l.port());
      List<TlsCertificate> tls = tls(l);
      if (current != null && (current.tls() == null) != (tls == null)) {
        LOG.info("listener {} changes between HTTP and HTTPS: reopening it", l.port());
        reopening.add(close(l.port()));
      } else if (current != null && tls != null && !current.tls().equals(tls)) {
        ServerSSLOptions update;
        try {
          update = TlsServerOptions.update(tls);
        } catch (IllegalArgumentException e) {
          return Future.failedFuture(e);
        }
        for (ListenerVerticle server : current.servers()) {
          updating.add(server.updateTls(update));
        }
        updated.put(l.port(), new Open(current.deployment(), tls, current.servers()));
      }
    }
    return Future.join(reopening)
        .transform(ignored -> Future.all(updating))
        .compose(
            ignored -> {
              updated.forEach(
                  (port, o) -> {
                    open.put(port, o);
                    LOG.info("listener {}: new certificates from {}", port, secrets(o.tls()));
                  });
              return bind(listeners, settings);
            });
  }

  private Future<Void> bind(List<ListenerConfig> listeners, ProxySettingsConfig settings) {
    List<ListenerConfig> added = new ArrayList<>();
    List<Future<String>> deploying = new ArrayList<>();
    List<List<ListenerVerticle>> servers = new ArrayList<>();
    for (ListenerConfig l : listeners) {
      if (!open.containsKey(l.port())) {
        List<ListenerVerticle> sockets = new CopyOnWriteArrayList<>();
        added.add(l);
        servers.add(sockets);
        deploying.add(deploy(l, settings, sockets));
      }
    }
    return Future.join(deploying)
        .transform(
            ar -> {
              List<Future<?>> rollback = new ArrayList<>();
              for (int i = 0; i < added.size(); i++) {
                Future<String> f = deploying.get(i);
                int port = added.get(i).port();
                if (f.succeeded()) {
                  open.put(port, new Open(f.result(), tls(added.get(i)), servers.get(i)));
                  if (ar.failed()) {
                    rollback.add(close(port));
                  }
                }
              }
              if (ar.succeeded()) {
                added.forEach(
                    l ->
                        LOG.info(
                            "listening on {}:{} ({})",
                            bindHost,
                            l.port(),
                            tls(l) == null ? "HTTP" : "HTTPS, " + secrets(tls(l))));
                return Future.succeededFuture();
              }
              return Future.join(rollback).transform(x -> Future.<Void>failedFuture(ar.cause()));
            });
  }

  /** Drains and closes every open port not in {@code ports}. */
  Future<Void> retain(Set<Integer> ports) {
    List<Future<?>> closing = new ArrayList<>();
    for (int port : List.copyOf(open.keySet())) {
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
    return !open.isEmpty();
  }

  private Future<?> close(int port) {
    Open o = open.remove(port);
    LOG.info("closing listener {}", port);
    return o == null ? Future.succeededFuture() : vertx.undeploy(o.deployment());
  }

  private Future<String> deploy(
      ListenerConfig l, ProxySettingsConfig s, List<ListenerVerticle> sockets) {
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
    if (tls(l) != null) {
      try {
        TlsServerOptions.apply(options, tls(l));
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
    }
    Handler<HttpServerRequest> handler = handlers.apply(l.port());
    return vertx.deployVerticle(
        () -> {
          ListenerVerticle v =
              new ListenerVerticle(
                  l.port(),
                  bindHost,
                  options,
                  handler,
                  s.requestHeaderTimeoutMillis(),
                  drainMillis,
                  metrics);
          sockets.add(v);
          return v;
        },
        new DeploymentOptions().setInstances(instances));
  }

  /** The listener's certificates, or null for plain HTTP. */
  private static List<TlsCertificate> tls(ListenerConfig l) {
    return "HTTPS".equalsIgnoreCase(l.protocol()) ? l.certificates() : null;
  }

  private static List<String> secrets(List<TlsCertificate> tls) {
    return tls.stream().map(TlsCertificate::secret).toList();
  }
}
