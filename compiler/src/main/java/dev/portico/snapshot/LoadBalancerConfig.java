package dev.portico.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Endpoint selection.
 *
 * @param type RoundRobin, LeastRequest or ConsistentHash
 * @param hashHeader for ConsistentHash: lower-case header name, or null
 * @param hashCookie for ConsistentHash: cookie name, or null
 * @param hashClientAddress for ConsistentHash on the client address
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoadBalancerConfig(
    String type, String hashHeader, String hashCookie, Boolean hashClientAddress) {
  public static final LoadBalancerConfig ROUND_ROBIN =
      new LoadBalancerConfig("RoundRobin", null, null, null);
}
