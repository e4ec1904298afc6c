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
 * Runs one of the suite's cached build scripts ({@code e2e/control-plane/build.sh}, {@code
 * e2e/helm/build.sh}), whose last stdout line names what it built or reused.
 */
final class BuildScript {
  private BuildScript() {}

  /**
   * Runs {@code script} from the repository root and returns its last stdout line, trimmed. Its
   * progress (stderr) is forwarded line by line through System.err, never by inheriting the
   * descriptor: surefire talks to this JVM over its standard streams, and raw writes would corrupt
   * that channel.
   */
  static String lastLine(Path script, long timeoutMinutes) {
    List<String> stdout;
    Path stdoutFile = null;
    try {
      // stdout to a file, so a hung build still hits the timeout below instead of a blocked read.
      stdoutFile = Files.createTempFile("portico-build-script", ".out");
      Process process =
          new ProcessBuilder("bash", script.toString())
              .directory(Project.root().toFile())
              .redirectOutput(stdoutFile.toFile())
              .start();
      process.getOutputStream().close();
      Thread progress = new Thread(() -> forward(process), "build-script-stderr");
      progress.setDaemon(true);
      progress.start();
      if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
        process.destroy(); // the scripts trap TERM, stop go and remove their temp dirs
        throw new IllegalStateException(script + " did not finish in " + timeoutMinutes + " min");
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
      throw new IllegalStateException(script + " printed nothing on stdout");
    }
    return stdout.get(stdout.size() - 1).trim();
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
