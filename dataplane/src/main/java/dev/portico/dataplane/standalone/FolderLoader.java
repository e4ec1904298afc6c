package dev.portico.dataplane.standalone;

import dev.portico.compiler.CompileResult;
import dev.portico.compiler.Compiler;
import dev.portico.compiler.ConditionVerdict;
import dev.portico.compiler.ObjectKey;
import dev.portico.compiler.Verdict;
import dev.portico.manifest.ManifestException;
import dev.portico.manifest.ManifestReader;
import dev.portico.manifest.Manifests;
import dev.portico.snapshot.Snapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Standalone mode's snapshot source: reads a folder of manifests with the same reader and compiler
 * the operator uses, picks one DataPlane's snapshot and resolves static endpoints. Blocking file
 * I/O: never called on an event loop.
 */
public final class FolderLoader {
  private final Path folder;
  private final String dataPlane;
  private final ManifestReader reader = new ManifestReader();

  /**
   * @param dataPlane {@code namespace/name} of the DataPlane to serve, or null for the only one
   */
  public FolderLoader(Path folder, String dataPlane) {
    this.folder = folder;
    this.dataPlane = dataPlane;
  }

  public Path folder() {
    return folder;
  }

  public LoadedFolder load() throws StandaloneConfigException {
    Manifests manifests;
    try {
      manifests = reader.read(folder);
    } catch (ManifestException e) {
      throw new StandaloneConfigException(e.getMessage(), e);
    }
    String key = pick(manifests);
    // A compiler per load: every load parses new objects, so the route memo of a kept compiler
    // would
    // never hit, only hold the previous load's resources and verdicts (2.7 KB per route).
    CompileResult result = new Compiler().compile(manifests.bundle());
    List<String> warnings = new ArrayList<>();
    Verdict own = null;
    for (Map.Entry<ObjectKey, Verdict> e : result.verdicts().entrySet()) {
      ObjectKey k = e.getKey();
      if (k.kind().equals("DataPlane") && k.namespacedName().equals(key)) {
        own = e.getValue();
      } else if (!e.getValue().isTrue("Accepted")
          || !e.getValue().conditions().stream().allMatch(c -> "True".equals(c.status()))) {
        warnings.add(k + ": " + reasons(e.getValue()));
      }
    }
    Snapshot snapshot = result.snapshots().get(key);
    if (own == null || !own.isTrue("Accepted") || snapshot == null) {
      throw new StandaloneConfigException(
          "DataPlane " + key + " is not accepted: " + (own == null ? "no verdict" : reasons(own)));
    }
    if (!own.conditions().stream().allMatch(c -> "True".equals(c.status()))) {
      // Served, but not all of it: an HTTPS listener without a usable certificate, say.
      warnings.add("DataPlane/" + key + ": " + reasons(own));
    }
    return new LoadedFolder(
        snapshot, StaticEndpoints.resolve(snapshot, manifests.others()), List.copyOf(warnings));
  }

  private String pick(Manifests manifests) throws StandaloneConfigException {
    List<String> names =
        manifests.bundle().dataPlanes().stream()
            .map(d -> d.getMetadata().getNamespace() + "/" + d.getMetadata().getName())
            .sorted()
            .toList();
    if (dataPlane != null) {
      if (!names.contains(dataPlane)) {
        throw new StandaloneConfigException(
            "DataPlane " + dataPlane + " is not in " + folder + "; found " + names);
      }
      return dataPlane;
    }
    if (names.size() != 1) {
      throw new StandaloneConfigException(
          names.isEmpty()
              ? "no DataPlane in " + folder
              : "several DataPlanes in " + folder + " " + names + "; choose one with --dataplane");
    }
    return names.get(0);
  }

  private static String reasons(Verdict verdict) {
    List<String> out = new ArrayList<>();
    for (ConditionVerdict c : verdict.conditions()) {
      if (!"True".equals(c.status())) {
        out.add(c.type() + "=" + c.status() + " (" + c.reason() + ") " + c.message());
      }
    }
    return out.isEmpty() ? "no reason given" : String.join("; ", out);
  }
}
