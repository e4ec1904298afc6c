package dev.portico.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One port of the data plane with the virtual hosts it serves.
 *
 * @param protocol {@code HTTP} or {@code HTTPS}
 * @param certificates for HTTPS: the certificates to choose from by SNI, the first one the default
 * @param virtualHosts sorted most specific first: exact names, then wildcards by length, then "*"
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ListenerConfig(
    String name,
    int port,
    String protocol,
    List<TlsCertificate> certificates,
    List<VirtualHost> virtualHosts) {

  public ListenerConfig {
    certificates = Lists.copy(certificates);
    virtualHosts = Lists.copy(virtualHosts);
  }

  /** The same listener with {@code hosts} as its virtual hosts. */
  public ListenerConfig withVirtualHosts(List<VirtualHost> hosts) {
    return new ListenerConfig(name, port, protocol, certificates, hosts);
  }
}
