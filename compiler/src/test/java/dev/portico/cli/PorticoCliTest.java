package dev.portico.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PorticoCliTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return PorticoCli.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void everyBundledExampleValidates() throws IOException {
    try (Stream<Path> dirs = Files.list(Path.of("..", "examples"))) {
      List<Path> examples = dirs.filter(Files::isDirectory).sorted().toList();
      assertThat(examples).isNotEmpty();
      for (Path example : examples) {
        out.reset();
        assertThat(run("validate", example.toString()))
            .as("%s: %s", example, out)
            .isEqualTo(PorticoCli.OK);
        assertThat(out.toString()).contains("0 problems");
      }
    }
  }

  @Test
  void validateListsRefusedObjectsAndFails(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("bad.yaml"),
        """
        apiVersion: portico.dev/v1alpha1
        kind: GatewayRoute
        metadata: {name: lost, namespace: team}
        spec:
          parentRefs: [{name: nowhere}]
          rules:
            - backends: [{name: svc, port: 80}]
        """);
    assertThat(run("validate", dir.toString())).isEqualTo(PorticoCli.REFUSED);
    assertThat(out.toString())
        .contains("GatewayRoute/team/lost: Accepted=False (NoMatchingParent)")
        .contains("DataPlane team/nowhere does not exist")
        .contains("ResolvedRefs=False (BackendNotFound)");
  }

  @Test
  void unknownFieldIsAnErrorNamingTheFile(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("typo.yaml"),
        """
        apiVersion: portico.dev/v1alpha1
        kind: DataPlane
        metadata: {name: dp}
        spec:
          listners: []
        """);
    assertThat(run("validate", dir.toString())).isEqualTo(PorticoCli.USAGE);
    assertThat(err.toString()).contains("typo.yaml document 1").contains("listners");
  }

  @Test
  void emptyListItemIsAnErrorWithItsPath(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("hole.yaml"),
        """
        apiVersion: portico.dev/v1alpha1
        kind: GatewayRoute
        metadata: {name: r}
        spec:
          parentRefs: [{name: dp}]
          rules:
            - backends: [~]
        """);
    assertThat(run("validate", dir.toString())).isEqualTo(PorticoCli.USAGE);
    assertThat(err.toString()).contains("spec.rules[0].backends[0] is an empty list item");
  }

  @Test
  void translatePrintsSnapshots() {
    assertThat(run("translate", "../examples/quickstart")).isEqualTo(PorticoCli.OK);
    assertThat(out.toString())
        .contains("default/quickstart:")
        .contains("rule: default/shop/0")
        .contains("service: default/catalog");
  }

  @Test
  void usageErrors() {
    assertThat(run()).isEqualTo(PorticoCli.USAGE);
    assertThat(run("frobnicate", ".")).isEqualTo(PorticoCli.USAGE);
    assertThat(run("validate", "/no/such/path")).isEqualTo(PorticoCli.USAGE);
    assertThat(err.toString()).contains("no such file or folder");
  }
}
