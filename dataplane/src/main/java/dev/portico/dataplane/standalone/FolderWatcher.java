package dev.portico.dataplane.standalone;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a manifest folder (and its sub-folders) on its own thread, never an event loop, and calls
 * back once a burst of changes has settled: an editor's save or a {@code cp *.yaml} is one reload,
 * not ten.
 */
public final class FolderWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FolderWatcher.class);

  private final Path folder;
  private final long quietMillis;
  private final long maxDelayMillis;
  private final Runnable onChange;
  private final WatchService watch;
  private final Thread thread;

  /**
   * @param quietMillis wait for this long without events before reloading
   * @param maxDelayMillis but never longer than this after the first event of a burst
   */
  public FolderWatcher(Path folder, long quietMillis, long maxDelayMillis, Runnable onChange)
      throws IOException {
    this.folder = folder;
    this.quietMillis = quietMillis;
    this.maxDelayMillis = maxDelayMillis;
    this.onChange = onChange;
    this.watch = FileSystems.getDefault().newWatchService();
    registerAll();
    this.thread = new Thread(this::run, "portico-config-watch");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void registerAll() throws IOException {
    try (Stream<Path> dirs = Files.walk(folder)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        dir.register(
            watch,
            StandardWatchEventKinds.ENTRY_CREATE,
            StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE);
      }
    }
  }

  private void run() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        WatchKey key = watch.take();
        drain(key);
        long first = System.nanoTime();
        long deadline = first + TimeUnit.MILLISECONDS.toNanos(maxDelayMillis);
        while (true) {
          long left =
              Math.min(quietMillis, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
          WatchKey more = left <= 0 ? null : watch.poll(left, TimeUnit.MILLISECONDS);
          if (more == null) {
            break;
          }
          drain(more);
        }
        try {
          registerAll(); // new sub-folders
        } catch (IOException e) {
          LOG.warn("cannot watch {}: {}", folder, e.getMessage());
        }
        onChange.run();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("config watcher stopped", e);
    }
  }

  private static void drain(WatchKey key) {
    key.pollEvents();
    key.reset();
  }

  @Override
  public void close() throws IOException {
    thread.interrupt();
    watch.close();
  }
}
