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
}
