package dev.portico.e2e.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code kubectl} against the test cluster, because what users see ({@code kubectl
 * get}, {@code explain}, {@code apply --dry-run=server}) is part of the contract.
 */
public final class Kubectl {
  private static final long TIMEOUT_SECONDS = 60;

  private final Path binary;
  private final String kubeconfig;
  private final Path cacheDir;

  /**
   * @param kubeconfig the KUBECONFIG value (a file or a path list)
   * @param cacheDir a private discovery cache, so a stale cache in the user's home never lies
   */
  Kubectl(Path binary, String kubeconfig, Path cacheDir) {
    this.binary = binary;
    this.kubeconfig = kubeconfig;
    this.cacheDir = cacheDir;
  }

  /** The KUBECONFIG value, for processes the tests start against the same cluster. */
  public String kubeconfig() {
    return kubeconfig;
  }

  /** The result of one kubectl run. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    /** Everything kubectl printed, for assertion messages. */
    public String transcript() {
      return "$ "
          + String.join(" ", command)
          + "\n(exit "
          + exitCode
          + ")\n--- stdout\n"
          + stdout
          + "--- stderr\n"
          + stderr;
    }
  }

  /** Runs {@code kubectl <args>} and returns its exit code and output; never throws on failure. */
  public Result run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.add("--cache-dir=" + cacheDir);
    command.addAll(List.of(args));
    return execute(command, Map.of("KUBECONFIG", kubeconfig));
  }

  /**
   * Runs {@code command} with {@code env} added to this JVM's environment and stdin closed; also
   * used for helm, so both print the same transcripts.
   */
  static Result execute(List<String> command, Map<String, String> env) {
    Path stdout = null;
    Path stderr = null;
    try {
      // Files, not pipes: no reader threads, and no deadlock when one stream fills up.
      stdout = Files.createTempFile("kubectl", ".out");
      stderr = Files.createTempFile("kubectl", ".err");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectOutput(stdout.toFile())
              .redirectError(stderr.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      process.getOutputStream().close();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new IllegalStateException(
            command.get(0)
                + " did not finish in "
                + TIMEOUT_SECONDS
                + "s: "
                + String.join(" ", command));
      }
      return new Result(command, process.exitValue(), read(stdout), read(stderr));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    } finally {
      deleteQuietly(stdout);
      deleteQuietly(stderr);
    }
  }

  private static String read(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a leftover temp file is harmless
      }
    }
  }
}
