package dev.portico.dataplane.accesslog;

import dev.portico.dataplane.metrics.ProxyMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log at the end of the proxy pipeline: {@link #log} is called on the event loop when a
 * response ends, and one daemon thread writes the entries as JSON lines.
 *
 * <p>{@link #log} never blocks: when the queue is full (the output is slow or stuck) the entry is
 * dropped and counted by {@link ProxyMetrics#accessLogDropped()}, as are lines a failing stream
 * loses. Losing log lines under pressure is better than stalling every request on the loop behind a
 * pipe.
 *
 * <p>Each batch is written with one {@code write} call that ends on a line boundary, so lines stay
 * whole even when other writers (console logging) share the stream.
 */
public final class AccessLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);

  /** Entries serialized before one write; bounds the writer's buffer and its latency. */
  private static final int MAX_BATCH = 512;

  private static final int MAX_BATCH_BYTES = 256 * 1024;
  private static final long IDLE_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private static final long CLOSE_TIMEOUT_MILLIS = 5_000;
  private static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final OutputStream out;
  private final BlockingQueue<AccessLogEntry> queue;
  private final ProxyMetrics metrics;
  private final Thread writer;
  private volatile boolean closed;

  /** Written only by the writer thread. */
  private long lastWarnNanos;

  private boolean warned;

  /**
   * Starts the writer thread. The stream stays the caller's: {@link #close()} flushes it but does
   * not close it (it may be stdout).
   */
  public AccessLog(OutputStream out, int queueCapacity, ProxyMetrics metrics) {
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity must be positive: " + queueCapacity);
    }
    this.out = out;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.metrics = metrics;
    this.writer = new Thread(this::run, "portico-access-log");
    writer.setDaemon(true);
    writer.start();
  }

  /** An access log on standard output, where container runtimes collect it. */
  public static AccessLog toStdout(ProxyMetrics metrics) {
    return new AccessLog(System.out, 64 * 1024, metrics);
  }

  /** Queues one entry; returns at once, dropping the entry if the queue is full or closed. */
  public void log(AccessLogEntry entry) {
    if (closed || !queue.offer(entry)) {
      metrics.accessLogDropped();
    }
  }

  /** Writes what is queued, then stops the writer; waits at most a few seconds for a stuck one. */
  @Override
  public void close() {
    closed = true;
    try {
      writer.join(CLOSE_TIMEOUT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writer.isAlive()) {
      LOG.warn("Access log writer did not finish within {} ms; giving up", CLOSE_TIMEOUT_MILLIS);
      writer.interrupt();
    }
  }

  private void run() {
    AccessLogWriter batch = new AccessLogWriter();
    List<AccessLogEntry> drained = new ArrayList<>(MAX_BATCH);
    while (true) {
      // The writer never blocks in poll()/take(): a waiting consumer makes every offer() on the
      // event loop unpark it, a context-switch pair per request on a one-core data plane. It
      // drains what is there and otherwise naps; lines reach the output at most one nap late.
      queue.drainTo(drained, MAX_BATCH);
      if (drained.isEmpty()) {
        if (closed && queue.isEmpty()) {
          return;
        }
        LockSupport.parkNanos(IDLE_NAP_NANOS);
        if (Thread.interrupted()) {
          return;
        }
        continue;
      }
      for (AccessLogEntry entry : drained) {
        batch.append(entry);
        if (batch.size() >= MAX_BATCH_BYTES) {
          write(batch);
        }
      }
      drained.clear();
      write(batch);
    }
  }

  private void write(AccessLogWriter batch) {
    if (batch.size() == 0) {
      return;
    }
    try {
      out.write(batch.bytes());
      out.flush();
    } catch (IOException | RuntimeException e) {
      for (int i = 0; i < batch.entries(); i++) {
        metrics.accessLogDropped();
      }
      // Say so now and then, not once per failed batch.
      long now = System.nanoTime();
      if (!warned || now - lastWarnNanos >= WARN_INTERVAL_NANOS) {
        warned = true;
        lastWarnNanos = now;
        LOG.warn("Access log write failed; lines are being lost", e);
      }
    } finally {
      batch.reset();
    }
  }
}
