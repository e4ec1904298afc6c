package dev.portico.e2e.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The kube-apiserver, kube-controller-manager, kubectl and etcd binaries, built (first run, about
 * 14 min) or reused (cached, instant) by {@code e2e/control-plane/build.sh}.
 */
final class ControlPlaneBinaries {
  /** A first build on 2 cores takes about 14 minutes; leave room for a slow machine. */
  private static final long BUILD_TIMEOUT_MINUTES = 35;

  final Path dir;

  private ControlPlaneBinaries(Path dir) {
    this.dir = dir;
  }

  Path etcd() {
    return dir.resolve("etcd");
  }

  Path kubeApiserver() {
    return dir.resolve("kube-apiserver");
  }

  Path kubeControllerManager() {
    return dir.resolve("kube-controller-manager");
  }

  Path kubectl() {
    return dir.resolve("kubectl");
  }

  /**
   * Runs build.sh and takes the last stdout line as the bin directory. Its progress (stderr) is
   * forwarded line by line through System.err, never by inheriting the descriptor: surefire talks
   * to this JVM over its standard streams, and raw writes would corrupt that channel.
   */
  static ControlPlaneBinaries buildOrReuse() {
    Path script = Project.controlPlaneBuildScript();
    List<String> stdout;
    Path stdoutFile = null;
    try {
      // stdout to a file, so a hung build still hits the timeout below instead of a blocked read.
      stdoutFile = Files.createTempFile("portico-control-plane-build", ".out");
      Process process =
          new ProcessBuilder("bash", script.toString())
              .directory(Project.root().toFile())
              .redirectOutput(stdoutFile.toFile())
              .start();
      process.getOutputStream().close();
      Thread progress = new Thread(() -> forward(process), "control-plane-build-stderr");
      progress.setDaemon(true);
      progress.start();
      if (!process.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroy(); // build.sh traps TERM, stops go and removes its temp dir
        throw new IllegalStateException(
            script + " did not finish in " + BUILD_TIMEOUT_MINUTES + " min");
      }
      progress.join(TimeUnit.SECONDS.toMillis(5));
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            script + " failed with exit code " + process.exitValue() + " (its stderr is above)");
      }
      stdout = Files.readAllLines(stdoutFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + script, e);
    } finally {
      if (stdoutFile != null) {
        stdoutFile.toFile().delete();
      }
    }
    if (stdout.isEmpty()) {
      throw new IllegalStateException(script + " printed no bin directory");
    }
    ControlPlaneBinaries binaries =
        new ControlPlaneBinaries(Path.of(stdout.get(stdout.size() - 1).trim()));
    for (Path binary :
        List.of(
            binaries.etcd(),
            binaries.kubeApiserver(),
            binaries.kubeControllerManager(),
            binaries.kubectl())) {
      if (!Files.isExecutable(binary)) {
        throw new IllegalStateException(
            script + " reported " + binaries.dir + " but " + binary + " is missing");
      }
    }
    return binaries;
  }

  private static void forward(Process process) {
    try (BufferedReader err =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      err.lines().forEach(System.err::println);
    } catch (IOException | UncheckedIOException e) {
      // the process is gone; nothing more to show
    }
  }
}
