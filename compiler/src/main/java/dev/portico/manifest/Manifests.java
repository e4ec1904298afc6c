package dev.portico.manifest;

import dev.portico.compiler.ResourceBundle;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * What a folder of manifests holds.
 *
 * @param bundle the objects the compiler reads
 * @param others objects the compiler does not read but standalone mode does (EndpointSlices)
 */
public record Manifests(ResourceBundle bundle, List<HasMetadata> others) {
  public Manifests {
    others = List.copyOf(others);
  }
}
