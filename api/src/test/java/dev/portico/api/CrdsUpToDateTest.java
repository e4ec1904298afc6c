package dev.portico.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fails the build when the checked-in {@code crds/} differ from what the API classes generate.
 * Regenerate with {@code make crds} (runs this test with {@code -Dcrds.update=true}).
 */
class CrdsUpToDateTest {
  private static final Path GENERATED = Path.of("target", "generated-crds");
  private static final Path CHECKED_IN = Path.of("..", "crds");

  @Test
  void checkedInCrdsMatchTheApiClasses() throws IOException {
    List<Path> generated = list(GENERATED);
    assertThat(generated)
        .as("the crd-generator plugin wrote nothing; run the build, not the test alone")
        .hasSize(3);
    boolean update = Boolean.getBoolean("crds.update");
    if (update) {
      Files.createDirectories(CHECKED_IN);
      try (Stream<Path> old = Files.list(CHECKED_IN)) {
        for (Path p : old.filter(p -> p.toString().endsWith(".portico.dev.yaml")).toList()) {
          Files.delete(p);
        }
      }
    }
    for (Path source : generated) {
      Path target = CHECKED_IN.resolve(checkedInName(source));
      String expected = Files.readString(source);
      if (update) {
        Files.writeString(target, expected);
      }
      assertThat(target).as("missing CRD; run `make crds`").exists();
      assertThat(Files.readString(target))
          .as("%s is stale; run `make crds` and commit the result", target)
          .isEqualTo(expected);
    }
    assertThat(list(CHECKED_IN))
        .as("crds/ holds files the API classes no longer generate")
        .hasSameSizeAs(generated);
  }

  /** {@code gatewayroutes.portico.dev-v1.yml} becomes {@code gatewayroutes.portico.dev.yaml}. */
  static String checkedInName(Path generated) {
    return generated.getFileName().toString().replace("-v1.yml", ".yaml");
  }

  private static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.toString().matches(".*\\.ya?ml$"))
          .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
          .sorted()
          .toList();
    }
  }
}
