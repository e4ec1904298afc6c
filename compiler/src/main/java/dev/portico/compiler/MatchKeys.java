package dev.portico.compiler;

import dev.portico.snapshot.MatchConfig;
import dev.portico.snapshot.MatchConfig.ValueMatch;
import java.util.List;
import java.util.stream.Collectors;

/** Canonical text of a match: two matches with equal keys accept exactly the same requests. */
final class MatchKeys {
  private MatchKeys() {}

  static String of(MatchConfig m) {
    return m.pathType()
        + " "
        + m.path()
        + (m.method() == null ? "" : " method=" + m.method())
        + values(" header", m.headers())
        + values(" query", m.queryParams());
  }

  private static String values(String label, List<ValueMatch> values) {
    return values.stream()
        .map(v -> label + (v.regex() ? "~" : ":") + v.name() + "=" + v.value())
        .sorted()
        .collect(Collectors.joining());
  }
}
