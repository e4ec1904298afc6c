package dev.portico.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One port of the data plane with the virtual hosts it serves.
 *
 * @param protocol {@code HTTP} or {@code HTTPS}
 * @param tlsSecrets {@code namespace/name} of certificate Secrets, for HTTPS
 * @param virtualHosts sorted most specific first: exact names, then wildcards by length, then "*"
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ListenerConfig(
    String name,
    int port,
    String protocol,
    List<String> tlsSecrets,
    List<VirtualHost> virtualHosts) {

  public ListenerConfig {
    tlsSecrets = Lists.copy(tlsSecrets);
    virtualHosts = Lists.copy(virtualHosts);
  }
}
