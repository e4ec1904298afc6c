package dev.portico.e2e.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * CPU time each process of a benchmark run has used, read from {@code /proc/<pid>/stat}: this JVM
 * (the operator and the clients) and its descendants (the API server, etcd, data-plane processes).
 * On two shared cores a stage's wall time is mostly waiting for the others, so a phase's CPU per
 * process says which of them to make cheaper. Linux only; elsewhere the figures are empty.
 */
final class ProcessCpu {
  /** {@code /proc} counts in clock ticks, 100 per second on every Linux this runs on. */
  private static final double MILLIS_PER_TICK = 10.0;

  private final Map<String, Long> ticks;

  /** By "role/thread name" for the Java processes, whose threads are named for their work. */
  private final Map<String, Long> threadTicks;

  private ProcessCpu(Map<String, Long> ticks, Map<String, Long> threadTicks) {
    this.ticks = ticks;
    this.threadTicks = threadTicks;
  }

  static ProcessCpu now() {
    Map<String, Long> ticks = new TreeMap<>();
    Map<String, Long> threadTicks = new TreeMap<>();
    ProcessHandle self = ProcessHandle.current();
    Stream.concat(Stream.of(self), self.descendants())
        .forEach(
            p -> {
              String role = role(p, self);
              ticks.merge(role, ticks(Path.of("/proc/" + p.pid() + "/stat")), Long::sum);
              if (role.equals(SELF) || role.equals(DATA_PLANE)) {
                threads(p.pid(), role, threadTicks);
              }
            });
    return new ProcessCpu(ticks, threadTicks);
  }

  /** "role=ms, ..." of the CPU each role used since {@code before}, divided by {@code per}. */
  String since(ProcessCpu before, int per) {
    return grown(ticks, before.ticks, per, Integer.MAX_VALUE);
  }

  /** The same for the {@code top} busiest threads of the Java processes. */
  String threadsSince(ProcessCpu before, int per, int top) {
    return grown(threadTicks, before.threadTicks, per, top);
  }

  /**
   * Waits until the JIT compiler threads of the Java processes rest (under 5% of a core over two
   * seconds), at most {@code max}; returns how long it waited. On two shared cores C2 works through
   * a queue for minutes after the traffic starts, and a stage measured meanwhile waits for it; a
   * long-running operator and replica are past that.
   */
  static Duration awaitCompilersQuiet(Duration max) throws InterruptedException {
    long start = System.nanoTime();
    ProcessCpu before = now();
    while (System.nanoTime() - start < max.toNanos()) {
      Thread.sleep(2_000);
      ProcessCpu after = now();
      if (after.compilerTicks() - before.compilerTicks() < 10) {
        break;
      }
      before = after;
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private long compilerTicks() {
    return threadTicks.entrySet().stream()
        .filter(e -> e.getKey().contains("CompilerThre"))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  private static String grown(Map<String, Long> now, Map<String, Long> before, int per, int top) {
    return now.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(top)
        .map(e -> e.getKey() + "=" + String.format("%.1fms", e.getValue() * MILLIS_PER_TICK / per))
        .collect(Collectors.joining(", "));
  }

  /**
   * Adds each thread's ticks under its name with digits dropped, so that a pool's threads count
   * together (the kernel keeps the first 15 characters of a name).
   */
  private static void threads(long pid, String role, Map<String, Long> into) {
    try (DirectoryStream<Path> tasks =
        Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks) {
        String stat = Files.readString(task.resolve("stat"));
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        into.merge(role + "/" + name.replaceAll("[0-9]+", "#"), ticks(stat), Long::sum);
      }
    } catch (IOException | RuntimeException e) {
      // a process or thread that ended meanwhile: its time is not counted
    }
  }

  private static final String SELF = "operator+clients";
  private static final String DATA_PLANE = "data-plane";

  private static String role(ProcessHandle p, ProcessHandle self) {
    if (p.pid() == self.pid()) {
      return SELF;
    }
    String line = p.info().commandLine().orElse("");
    if (line.contains("portico-dataplane")) {
      return DATA_PLANE;
    }
    String command = p.info().command().orElse("other");
    return Path.of(command).getFileName().toString();
  }

  private static long ticks(Path stat) {
    try {
      return ticks(Files.readString(stat));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** utime + stime, fields 14 and 15, counted after the command name's closing parenthesis. */
  private static long ticks(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }
}
