package dev.portico.e2e.cluster;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Wall time of each startup phase, printed once so slow startups are visible in CI logs. */
final class StartupTimings {
  private final Map<String, Long> phases = new LinkedHashMap<>();
  private long phaseStart = System.nanoTime();

  /** Ends the current phase under {@code name} and starts the next one. */
  synchronized void phase(String name) {
    long now = System.nanoTime();
    phases.put(name, now - phaseStart);
    phaseStart = now;
  }

  /** Restarts the clock for the next phase without recording the time in between. */
  synchronized void skip() {
    phaseStart = System.nanoTime();
  }

  synchronized long totalMillis() {
    return phases.values().stream().mapToLong(Long::longValue).sum() / 1_000_000;
  }

  @Override
  public synchronized String toString() {
    return String.format(Locale.ROOT, "%.1fs", totalMillis() / 1000.0)
        + phases.entrySet().stream()
            .map(e -> String.format(Locale.ROOT, "%s %.2fs", e.getKey(), e.getValue() / 1e9))
            .collect(Collectors.joining(", ", " (", ")"));
  }
}
