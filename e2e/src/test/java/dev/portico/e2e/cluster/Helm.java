package dev.portico.e2e.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real {@code helm}, built once per machine (2-4 min on 2 cores) or reused by {@code
 * e2e/helm/build.sh}, so the suite renders charts/portico exactly as a user's helm does.
 */
public final class Helm {
  private static final long BUILD_TIMEOUT_MINUTES = 20;

  private static Helm instance;

  private final Path binary;
  private final Map<String, String> env;

  private Helm(Path binary) {
    this.binary = binary;
    // Homes that do not exist: a developer's repositories, plugins and registry logins must not
    // change what the chart renders. `helm template` and `lint` of a local chart write nothing.
    Path home = Path.of(System.getProperty("java.io.tmpdir"), "portico-e2e-helm-home");
    this.env =
        Map.of(
            "HELM_CONFIG_HOME", home.resolve("config").toString(),
            "HELM_CACHE_HOME", home.resolve("cache").toString(),
            "HELM_DATA_HOME", home.resolve("data").toString());
  }

  /** Builds helm on the first call (or takes it from the cache), then returns the same one. */
  public static synchronized Helm buildOrReuse() {
    if (instance == null) {
      Path script = Project.helmBuildScript();
      Path binary = Path.of(BuildScript.lastLine(script, BUILD_TIMEOUT_MINUTES));
      if (!Files.isExecutable(binary)) {
        throw new IllegalStateException(script + " reported " + binary + " but it is missing");
      }
      instance = new Helm(binary);
    }
    return instance;
  }

  /** Runs {@code helm <args>}; never throws on failure. */
  public Kubectl.Result run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of(args));
    return Kubectl.execute(command, env);
  }
}
