package dev.portico.dataplane.discovery;

import dev.portico.dataplane.upstream.Address;
import dev.portico.snapshot.BackendConfig;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Discovery's one mapping, shared by cluster and standalone mode: the EndpointSlices of one Service
 * and one of its ports become the addresses of that backend's {@link
 * dev.portico.dataplane.upstream.EndpointSet}.
 *
 * <p>Follows kube-proxy: ready endpoints only, unless the port has none, in which case endpoints
 * that are terminating but still serving take the traffic (a drain or a rollout's last old pod is
 * better than a 503). A not-ready endpoint that is not terminating never gets traffic.
 */
public final class SliceAddresses {
  /** The label that ties an EndpointSlice to its Service. */
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private static final String FQDN = "FQDN";

  private SliceAddresses() {}

  /**
   * @param slices the EndpointSlices of the backend's Service (any order; slices of other Services
   *     must already be filtered out)
   * @return the addresses, deduplicated and sorted; empty when no endpoint qualifies
   */
  public static List<Address> of(Collection<EndpointSlice> slices, BackendConfig backend) {
    String portName = backend.portName() == null ? "" : backend.portName();
    Set<Address> ready = new TreeSet<>();
    Set<Address> terminating = new TreeSet<>();
    for (EndpointSlice slice : slices) {
      // Like kube-proxy, which programs only IPv4 and IPv6 slices: the EndpointSlice controller
      // never writes FQDN ones for a Service.
      if (FQDN.equals(slice.getAddressType()) || slice.getEndpoints() == null) {
        continue;
      }
      // Each slice carries its own port number for the name: during a rollout that changes the
      // container port, old and new slices of one Service differ.
      int port = port(slice, portName);
      if (port == 0) {
        continue;
      }
      for (Endpoint endpoint : slice.getEndpoints()) {
        Set<Address> into =
            isReady(endpoint) ? ready : isServingTerminating(endpoint) ? terminating : null;
        if (into != null && endpoint.getAddresses() != null) {
          for (String host : endpoint.getAddresses()) {
            if (host != null && !host.isEmpty()) {
              into.add(new Address(host, port));
            }
          }
        }
      }
    }
    return List.copyOf(ready.isEmpty() ? terminating : ready);
  }

  /** The API reads a missing {@code ready} as true. */
  private static boolean isReady(Endpoint endpoint) {
    EndpointConditions c = endpoint.getConditions();
    return c == null || !Boolean.FALSE.equals(c.getReady());
  }

  /** A missing {@code serving} reads as true and a missing {@code terminating} as false. */
  private static boolean isServingTerminating(Endpoint endpoint) {
    EndpointConditions c = endpoint.getConditions();
    return c != null
        && Boolean.TRUE.equals(c.getTerminating())
        && !Boolean.FALSE.equals(c.getServing());
  }

  /** The slice's port number for a Service port name ("" = unnamed), or 0 when it has none. */
  private static int port(EndpointSlice slice, String portName) {
    if (slice.getPorts() == null) {
      return 0;
    }
    for (EndpointPort p : slice.getPorts()) {
      String name = p.getName() == null ? "" : p.getName();
      Integer number = p.getPort();
      if (name.equals(portName) && number != null && number >= 1 && number <= 65535) {
        return number;
      }
    }
    return 0;
  }
}
