package dev.portico.e2e.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/** Locates the repository the e2e suite tests: its CRDs, examples and control-plane scripts. */
public final class Project {
  private Project() {}

  /**
   * The repository root: system property {@code portico.root} (set by the e2e pom), else the
   * nearest directory above the working directory that holds the Makefile and {@code crds/}.
   */
  public static Path root() {
    String configured = System.getProperty("portico.root", "");
    if (!configured.isBlank() && !configured.startsWith("${")) {
      Path root = Path.of(configured).toAbsolutePath().normalize();
      if (Files.isDirectory(root.resolve("crds"))) {
        return root;
      }
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("Makefile")) && Files.isDirectory(dir.resolve("crds"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "cannot find the Portico repository root: set -Dportico.root or run from inside it");
  }

  /** The generated Portico CRDs, {@code crds/*.portico.dev.yaml}, sorted. */
  public static List<Path> porticoCrds() {
    return list(root().resolve("crds"), "*.portico.dev.yaml");
  }

  /** Every folder under {@code examples/} that holds YAML, sorted. */
  public static List<Path> exampleDirs() {
    try (Stream<Path> dirs = Files.list(root().resolve("examples"))) {
      return dirs.filter(Files::isDirectory).filter(d -> !yamlFiles(d).isEmpty()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code *.yaml} / {@code *.yml} files directly in {@code dir}, sorted as kubectl does. */
  public static List<Path> yamlFiles(Path dir) {
    return list(dir, "*.{yaml,yml}");
  }

  static Path controlPlaneBuildScript() {
    return root().resolve("e2e/control-plane/build.sh");
  }

  static Path helmBuildScript() {
    return root().resolve("e2e/helm/build.sh");
  }

  private static List<Path> list(Path dir, String glob) {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, glob)) {
      stream.forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Collections.sort(files);
    return files;
  }
}
