package dev.portico.dataplane.discovery;

import dev.portico.dataplane.proxy.EndpointRegistry;
import dev.portico.snapshot.BackendConfig;
import dev.portico.snapshot.RuleConfig;
import dev.portico.snapshot.Snapshot;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What discovery must watch for a snapshot: every Service its rules proxy or compose from, with the
 * distinct backends (Service ports, by {@link EndpointRegistry#key}) that name it.
 */
final class ServiceBackends {
  private ServiceBackends() {}

  /**
   * @return an immutable map from {@code namespace/name} to that Service's backends, one per key
   */
  static Map<String, List<BackendConfig>> of(Snapshot snapshot) {
    Map<String, Map<String, BackendConfig>> byService = new TreeMap<>();
    for (RuleConfig rule : snapshot.rules()) {
      if (rule.action() == null) {
        continue;
      }
      for (BackendConfig backend : rule.action().upstreams()) {
        // Rules that share a Service port differ only in weight, which discovery does not use.
        byService
            .computeIfAbsent(backend.service(), s -> new LinkedHashMap<>())
            .putIfAbsent(EndpointRegistry.key(backend), backend);
      }
    }
    // Sorted, so informers start and log in a stable order.
    SortedMap<String, List<BackendConfig>> out = new TreeMap<>();
    byService.forEach((service, backends) -> out.put(service, List.copyOf(backends.values())));
    return Collections.unmodifiableSortedMap(out);
  }

  /**
   * The backends of {@code snapshot}, which are {@code before} (those of {@code beforeRules}) when
   * its rules are the same objects with rules only added, each naming Service ports {@code before}
   * has: a new route to a known backend, found without visiting the other 5,000 rules. Otherwise
   * computed afresh.
   */
  static Map<String, List<BackendConfig>> of(
      Snapshot snapshot, List<RuleConfig> beforeRules, Map<String, List<BackendConfig>> before) {
    List<RuleConfig> rules = snapshot.rules();
    int kept = beforeRules.size();
    if (rules.size() >= kept) {
      int head = 0;
      while (head < kept && rules.get(head) == beforeRules.get(head)) {
        head++;
      }
      int tail = 0;
      while (tail < kept - head
          && rules.get(rules.size() - 1 - tail) == beforeRules.get(kept - 1 - tail)) {
        tail++;
      }
      if (head + tail == kept && named(before, rules.subList(head, rules.size() - tail))) {
        return before;
      }
    }
    return of(snapshot);
  }

  /** Whether every Service port the rules proxy or compose to is in {@code backends}. */
  private static boolean named(Map<String, List<BackendConfig>> backends, List<RuleConfig> rules) {
    for (RuleConfig rule : rules) {
      if (rule.action() == null) {
        continue;
      }
      for (BackendConfig backend : rule.action().upstreams()) {
        String key = EndpointRegistry.key(backend);
        List<BackendConfig> known = backends.get(backend.service());
        if (known == null || known.stream().noneMatch(b -> EndpointRegistry.key(b).equals(key))) {
          return false;
        }
      }
    }
    return true;
  }
}
