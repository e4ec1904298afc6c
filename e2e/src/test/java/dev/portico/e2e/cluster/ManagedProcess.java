package dev.portico.e2e.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One control-plane binary running as a child process, its output in a log file. Stopping sends
 * SIGTERM, then SIGKILL after a grace period, so a stuck process never outlives the suite.
 */
final class ManagedProcess implements AutoCloseable {
  private static final long GRACE_SECONDS = 10;

  private final String name;
  private final Process process;
  private final Path log;

  private ManagedProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code command} with stdout and stderr appended to {@code <logDir>/<name>.log}. */
  static ManagedProcess start(String name, Path logDir, List<String> command) {
    Path log = logDir.resolve(name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      return new ManagedProcess(name, builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command.get(0), e);
    }
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Fails fast with the log tail when the process has already exited, e.g. on a port clash. */
  void checkAlive() {
    if (!process.isAlive()) {
      // No log tail here: the caller's failure message carries every process's tail.
      throw new IllegalStateException(name + " exited with code " + process.exitValue());
    }
  }

  /** The last {@code lines} lines of the log, headed by the log's path, for failure messages. */
  String logTail(int lines) {
    List<String> all;
    try {
      // Lenient decoding: a log cut mid-character must still show its tail.
      all = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      return "--- " + log + ": unreadable (" + e.getMessage() + ")";
    }
    List<String> tail = new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size()));
    tail.add(0, "--- last " + tail.size() + " lines of " + log);
    return String.join("\n", tail);
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy(); // SIGTERM: lets kube-apiserver and etcd shut down cleanly
    try {
      if (!process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
