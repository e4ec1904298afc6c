package dev.portico.dataplane.standalone;

import dev.portico.dataplane.server.Gateway;
import dev.portico.dataplane.upstream.Address;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the data plane from a folder: the first load must succeed, then every settled change is
 * loaded on the watcher thread and swapped in, or logged with its reasons while the running
 * snapshot keeps serving.
 */
public final class StandaloneMode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StandaloneMode.class);

  private final FolderLoader loader;
  private final Gateway gateway;
  private FolderWatcher watcher;

  public StandaloneMode(FolderLoader loader, Gateway gateway) {
    this.loader = loader;
    this.gateway = gateway;
  }

  /**
   * Loads the folder, serves it and starts watching. Blocks: call it from a main or worker thread.
   *
   * @throws StandaloneConfigException when the first load cannot be served
   */
  public void start(long quietMillis) throws StandaloneConfigException, IOException {
    reload(true);
    watcher =
        new FolderWatcher(
            loader.folder(),
            quietMillis,
            Math.max(quietMillis, 2000),
            () -> {
              try {
                reload(false);
              } catch (StandaloneConfigException e) {
                LOG.error(
                    "configuration in {} refused, still serving the previous snapshot: {}",
                    loader.folder(),
                    e.getMessage());
              }
            });
    watcher.start();
  }

  /** Loads and applies the folder once; blocking. */
  public void reload(boolean first) throws StandaloneConfigException {
    LoadedFolder folder = loader.load();
    folder.warnings().forEach(w -> LOG.warn("refused alone, the rest is served: {}", w));
    String current = gateway.snapshot() == null ? null : gateway.snapshot().version();
    // Endpoints are discovery, not configuration: updated first, so the new rules find them.
    for (Map.Entry<String, List<Address>> e : folder.endpoints().entrySet()) {
      if (e.getValue().isEmpty()) {
        LOG.warn("backend {} has no endpoints: its routes answer 503", e.getKey());
      }
      gateway.endpoints().update(e.getKey(), e.getValue());
    }
    if (folder.snapshot().version().equals(current)) {
      LOG.info("snapshot {} unchanged", current);
      return;
    }
    await(gateway.apply(folder.snapshot()));
    if (!first) {
      LOG.info("reloaded {}", loader.folder());
    }
  }

  private static void await(Future<Void> f) throws StandaloneConfigException {
    try {
      f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new StandaloneConfigException(
          "the data plane cannot serve it: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new StandaloneConfigException("applying the snapshot timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StandaloneConfigException("interrupted", e);
    }
  }

  @Override
  public void close() throws IOException {
    if (watcher != null) {
      watcher.close();
    }
  }
}
