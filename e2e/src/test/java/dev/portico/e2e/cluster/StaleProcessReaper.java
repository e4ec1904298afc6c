package dev.portico.e2e.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Cleans up after a test JVM that was killed with SIGKILL (no shutdown hook ran): each control
 * plane's work dir records its owner JVM and its children, and the next run kills the children of
 * dead owners and removes their dirs.
 */
final class StaleProcessReaper {
  static final String WORK_DIR_PREFIX = "portico-e2e-";
  private static final String OWNER_FILE = "owner";
  private static final String PROCESSES_FILE = "processes";

  private StaleProcessReaper() {}

  /** Marks {@code workDir} as owned by this JVM. */
  static void claim(Path workDir) {
    ProcessHandle self = ProcessHandle.current();
    write(workDir.resolve(OWNER_FILE), self.pid() + " " + startMillis(self).orElse(0L) + "\n");
  }

  /** Records a child so a later run can kill it if this JVM dies without cleaning up. */
  static void record(Path workDir, long pid, Path binary) {
    write(workDir.resolve(PROCESSES_FILE), pid + " " + binary + "\n");
  }

  /** Kills leftover children of dead owners and deletes their work dirs. Best effort. */
  static void reapStale() {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, WORK_DIR_PREFIX + "*")) {
      for (Path dir : dirs) {
        if (Files.isRegularFile(dir.resolve(OWNER_FILE)) && !ownerAlive(dir)) {
          killRecorded(dir);
          deleteRecursively(dir);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      System.err.println("[e2e] could not reap stale control planes in " + tmp + ": " + e);
    }
  }

  private static boolean ownerAlive(Path dir) throws IOException {
    String[] owner = Files.readString(dir.resolve(OWNER_FILE)).trim().split(" ");
    Optional<ProcessHandle> handle = ProcessHandle.of(Long.parseLong(owner[0]));
    // Same pid and same start time: the pid was not recycled by an unrelated process.
    return handle.isPresent()
        && handle.get().isAlive()
        && startMillis(handle.get()).map(s -> s == Long.parseLong(owner[1])).orElse(true);
  }

  private static void killRecorded(Path dir) throws IOException {
    Path processes = dir.resolve(PROCESSES_FILE);
    if (!Files.isRegularFile(processes)) {
      return;
    }
    // Reverse start order, as a clean shutdown would: kcm, apiserver, etcd.
    List<String> lines = Files.readAllLines(processes);
    for (int i = lines.size() - 1; i >= 0; i--) {
      String[] entry = lines.get(i).split(" ", 2);
      ProcessHandle.of(Long.parseLong(entry[0]))
          .filter(ProcessHandle::isAlive)
          .filter(p -> p.info().command().map(c -> c.equals(entry[1])).orElse(false))
          .ifPresent(
              p -> {
                System.err.println("[e2e] killing leftover " + entry[1] + " (pid " + p.pid() + ")");
                p.destroyForcibly();
              });
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("[e2e] could not delete " + dir + ": " + e);
    }
  }

  private static Optional<Long> startMillis(ProcessHandle handle) {
    return handle.info().startInstant().map(java.time.Instant::toEpochMilli);
  }

  private static void write(Path file, String line) {
    try {
      Files.writeString(
          file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
