package dev.portico.snapshot;

/**
 * A Service port with its share of a rule's requests. Endpoint addresses are not part of the
 * snapshot: each replica finds them from EndpointSlices labelled with the Service name.
 *
 * @param service {@code namespace/name}
 * @param port the Service port number
 * @param portName the Service port's name ("" when unnamed): EndpointSlice ports carry it
 * @param targetPort the Service port's targetPort as written (number or name), for static setups
 */
public record BackendConfig(
    String service, int port, String portName, String targetPort, int weight) {}
