package dev.portico.dataplane.standalone;

import dev.portico.dataplane.discovery.SliceAddresses;
import dev.portico.dataplane.proxy.EndpointRegistry;
import dev.portico.dataplane.upstream.Address;
import dev.portico.snapshot.BackendConfig;
import dev.portico.snapshot.RuleConfig;
import dev.portico.snapshot.Snapshot;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Standalone mode's discovery: the addresses of each backend of a snapshot, from the EndpointSlices
 * in the folder (labelled {@code kubernetes.io/service-name}), mapped by {@link SliceAddresses}
 * exactly as cluster mode maps the slices it watches.
 *
 * <p>A convenience for local runs: a Service with no EndpointSlice at all in the folder whose
 * {@code targetPort} is a number is served at {@code 127.0.0.1:<targetPort>}. A Service that has
 * slices gets exactly what they list, possibly nothing (then its routes answer 503).
 */
final class StaticEndpoints {
  private StaticEndpoints() {}

  static Map<String, List<Address>> resolve(Snapshot snapshot, List<HasMetadata> others) {
    List<EndpointSlice> slices = new ArrayList<>();
    for (HasMetadata o : others) {
      if (o instanceof EndpointSlice s) {
        slices.add(s);
      }
    }
    Map<String, List<Address>> out = new TreeMap<>();
    for (RuleConfig rule : snapshot.rules()) {
      if (rule.action() == null) {
        continue;
      }
      for (BackendConfig backend : rule.action().upstreams()) {
        out.computeIfAbsent(EndpointRegistry.key(backend), k -> addresses(backend, slices));
      }
    }
    return out;
  }

  private static List<Address> addresses(BackendConfig backend, List<EndpointSlice> slices) {
    String[] nsName = backend.service().split("/", 2);
    List<EndpointSlice> own = new ArrayList<>();
    for (EndpointSlice s : slices) {
      Map<String, String> labels = s.getMetadata().getLabels();
      if (Objects.equals(s.getMetadata().getNamespace(), nsName[0])
          && labels != null
          && nsName[1].equals(labels.get(SliceAddresses.SERVICE_NAME_LABEL))) {
        own.add(s);
      }
    }
    if (!own.isEmpty()) {
      return SliceAddresses.of(own, backend);
    }
    String target = backend.targetPort();
    if (target != null && !target.isEmpty() && target.chars().allMatch(Character::isDigit)) {
      return List.of(new Address("127.0.0.1", Integer.parseInt(target)));
    }
    return List.of();
  }
}
