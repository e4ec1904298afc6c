package dev.portico.cli;

import static dev.portico.api.common.Conditions.ACCEPTED;
import static dev.portico.api.common.Conditions.RESOLVED_REFS;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.portico.compiler.CompileResult;
import dev.portico.compiler.Compiler;
import dev.portico.compiler.ConditionVerdict;
import dev.portico.compiler.ObjectKey;
import dev.portico.compiler.Verdict;
import dev.portico.manifest.ManifestException;
import dev.portico.manifest.ManifestReader;
import dev.portico.snapshot.Snapshot;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compiles manifests offline with the same compiler the operator runs, so a pipeline can refuse a
 * change before it reaches a cluster. Exit codes: 0 valid, 1 some object refused, 2 usage or
 * unreadable input.
 */
public final class PorticoCli {
  static final int OK = 0;
  static final int REFUSED = 1;
  static final int USAGE = 2;

  private static final String HELP =
      """
      usage: portico <command> <file-or-folder>...
        validate   compile the manifests; list every refused object; exit 1 if any
        translate  print the snapshots and verdicts the compiler produces, as YAML
      """;

  private static final ObjectMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  private PorticoCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 2 || !List.of("validate", "translate").contains(args[0])) {
      err.print(HELP);
      return USAGE;
    }
    CompileResult result;
    try {
      List<Path> paths = List.of(args).subList(1, args.length).stream().map(Path::of).toList();
      result = new Compiler().compile(new ManifestReader().read(paths).bundle());
    } catch (ManifestException e) {
      err.println("error: " + e.getMessage());
      return USAGE;
    }
    if (args[0].equals("translate")) {
      try {
        out.print(render(result));
      } catch (IOException e) {
        err.println("error: " + e.getMessage());
        return USAGE;
      }
      return OK;
    }
    return validate(result, out);
  }

  private static int validate(CompileResult result, PrintStream out) {
    int refused = 0;
    for (Map.Entry<ObjectKey, Verdict> e : result.verdicts().entrySet()) {
      for (String type : List.of(ACCEPTED, RESOLVED_REFS)) {
        ConditionVerdict c = e.getValue().condition(type).orElse(null);
        if (c != null && !"True".equals(c.status())) {
          out.printf("%s: %s=%s (%s) %s%n", e.getKey(), type, c.status(), c.reason(), c.message());
          refused++;
        }
      }
    }
    out.printf(
        "%d objects, %d snapshots, %d problems%n",
        result.verdicts().size(), result.snapshots().size(), refused);
    return refused == 0 ? OK : REFUSED;
  }

  /**
   * Snapshots and verdicts as YAML, map keys sorted: what {@code translate} prints and what the
   * compiler's golden files hold. Strings that look like numbers stay quoted so they read back as
   * strings.
   */
  public static String render(CompileResult result) throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    Map<String, Snapshot> snapshots = new TreeMap<>();
    result.snapshots().forEach((id, s) -> snapshots.put(id, s.redacted()));
    doc.put("snapshots", snapshots); // private keys never reach CI logs
    doc.put("verdicts", result.verdicts());
    return YAML.writeValueAsString(doc);
  }
}
