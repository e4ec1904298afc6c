package dev.portico.e2e;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One admission fixture from {@code src/test/resources/admission/}: a YAML object plus, for invalid
 * ones, {@code # expect: <text>} lines that the API server's refusal must contain.
 */
record AdmissionCase(String file, String yaml, List<String> expectations) {
  private static final String EXPECT = "# expect: ";

  /** Every fixture in {@code admission/<folder>/}, sorted by file name. */
  static Stream<AdmissionCase> load(String folder) {
    Path dir;
    try {
      dir = Path.of(AdmissionCase.class.getResource("/admission/" + folder).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.toString().endsWith(".yaml"))
          .sorted()
          .map(AdmissionCase::read)
          .toList()
          .stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static AdmissionCase read(Path file) {
    try {
      String yaml = Files.readString(file);
      List<String> expectations =
          yaml.lines()
              .filter(line -> line.startsWith(EXPECT))
              .map(line -> line.substring(EXPECT.length()).trim())
              .toList();
      return new AdmissionCase(file.getFileName().toString(), yaml, expectations);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The object as written, untyped: the typed API classes would add their Java defaults and drop
   * unknown fields, hiding exactly what admission is meant to see.
   */
  GenericKubernetesResource object() {
    return Serialization.unmarshal(yaml, GenericKubernetesResource.class);
  }

  @Override
  public String toString() {
    return file;
  }
}
