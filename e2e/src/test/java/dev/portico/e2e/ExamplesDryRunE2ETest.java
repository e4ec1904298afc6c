package dev.portico.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.e2e.cluster.KubeE2E;
import dev.portico.e2e.cluster.Kubectl;
import dev.portico.e2e.cluster.Project;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every manifest a user is pointed at is accepted by a real API server, exactly as a user would
 * apply it: {@code kubectl apply --dry-run=server}, which also runs strict field validation, so a
 * misspelt field fails here.
 */
@KubeE2E
class ExamplesDryRunE2ETest {

  static Stream<Named<Path>> exampleDirs() {
    return Project.exampleDirs().stream()
        .map(dir -> Named.of("examples/" + dir.getFileName(), dir));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exampleDirs")
  void everyObjectIsAcceptedByServerDryRun(Path dir, KubernetesClient client, Kubectl kubectl) {
    List<HasMetadata> objects = load(dir, client);
    assertThat(objects).as("objects in %s", dir).isNotEmpty();
    // A dry run creates nothing, so the namespaces an example creates for its other objects
    // must really exist first.
    List<String> createdNamespaces = createNamespaces(objects, client);
    try {
      List<String> expectedLines = expectedOutput(objects, client);

      Kubectl.Result apply = kubectl.run("apply", "--dry-run=server", "-f", dir.toString());

      assertThat(apply.exitCode()).as(apply.transcript()).isZero();
      assertThat(apply.stdout().lines().toList())
          .as(apply.transcript())
          .hasSameSizeAs(objects)
          .allSatisfy(
              line ->
                  assertThat(expectedLines.stream().anyMatch(line::matches))
                      .as("unexpected line: %s", line)
                      .isTrue());
      for (String expected : expectedLines) {
        assertThat(apply.stdout().lines().anyMatch(line -> line.matches(expected)))
            .as("%s\nno line matches %s", apply.transcript(), expected)
            .isTrue();
      }
    } finally {
      createdNamespaces.forEach(name -> client.namespaces().withName(name).delete());
    }
  }

  private static List<HasMetadata> load(Path dir, KubernetesClient client) {
    List<HasMetadata> objects = new ArrayList<>();
    for (Path file : Project.yamlFiles(dir)) {
      try (InputStream in = Files.newInputStream(file)) {
        objects.addAll(client.load(in).items());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return objects;
  }

  private static List<String> createNamespaces(List<HasMetadata> objects, KubernetesClient client) {
    List<String> created = new ArrayList<>();
    for (HasMetadata object : objects) {
      String name = object.getMetadata().getName();
      if (object instanceof Namespace && client.namespaces().withName(name).get() == null) {
        client
            .namespaces()
            .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
            .create();
        created.add(name);
      }
    }
    return created;
  }

  /**
   * One regex per object for kubectl's line, e.g. {@code gatewayroute.portico.dev/shop created
   * (server dry run)}. Objects that already exist (the namespaces created above, or anything an
   * existing cluster already has) are "configured" or "unchanged" instead.
   */
  private static List<String> expectedOutput(List<HasMetadata> objects, KubernetesClient client) {
    List<String> lines = new ArrayList<>();
    for (HasMetadata object : objects) {
      String apiVersion = object.getApiVersion();
      String group = apiVersion.contains("/") ? "." + apiVersion.split("/")[0] : "";
      boolean exists = client.resource(object).get() != null;
      lines.add(
          Pattern.quote(
                  object.getKind().toLowerCase(Locale.ROOT)
                      + group
                      + "/"
                      + object.getMetadata().getName())
              + (exists ? " (configured|unchanged)" : " created")
              + " \\(server dry run\\)");
    }
    return lines;
  }
}
