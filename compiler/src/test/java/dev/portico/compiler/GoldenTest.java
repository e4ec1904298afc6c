package dev.portico.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.cli.PorticoCli;
import dev.portico.manifest.ManifestReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Compiler golden tests: {@code golden/<case>.in.yaml} compiles to {@code <case>.out.yaml}
 * (snapshots and verdicts). Regenerate with {@code make golden} ({@code -Dgolden.update=true}) and
 * review the diff; never edit an out file by hand.
 */
class GoldenTest {
  static final Path DIR = Path.of("src", "test", "resources", "golden");
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");

  @TestFactory
  Stream<DynamicTest> goldenCases() throws IOException {
    return cases().stream().map(c -> DynamicTest.dynamicTest(c, () -> check(c)));
  }

  @Test
  void everyOutputHasAnInput() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      List<String> orphans =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".out.yaml"))
              .map(n -> n.replace(".out.yaml", ""))
              .filter(n -> !Files.exists(DIR.resolve(n + ".in.yaml")))
              .toList();
      assertThat(orphans).as("out files without an in file").isEmpty();
    }
  }

  @Test
  void thereAreEnoughCases() throws IOException {
    assertThat(cases()).hasSizeGreaterThanOrEqualTo(40);
  }

  private void check(String name) throws Exception {
    CompileResult result =
        new Compiler().compile(new ManifestReader().read(DIR.resolve(name + ".in.yaml")).bundle());
    String actual = render(result);
    Path out = DIR.resolve(name + ".out.yaml");
    if (UPDATE) {
      Files.writeString(out, actual);
    }
    assertThat(out).as("missing golden output; run `make golden`").exists();
    assertThat(actual).as("compiler output of %s", name).isEqualTo(Files.readString(out));
  }

  static String render(CompileResult result) throws IOException {
    return PorticoCli.render(result);
  }

  static List<String> cases() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".in.yaml"))
          .map(n -> n.replace(".in.yaml", ""))
          .sorted()
          .toList();
    }
  }
}
