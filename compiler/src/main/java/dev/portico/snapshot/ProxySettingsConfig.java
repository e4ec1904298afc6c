package dev.portico.snapshot;

/**
 * DataPlane-wide request handling: limits, client-address trust and default timeouts.
 *
 * @param trustedHops proxies in front whose X-Forwarded-For entries are trusted
 * @param rejectEncodedSlashes true: %2F and %5C in a path get 400
 * @param preserveHost send the client's Host header to backends
 * @param maxBodyBytes 0 for no limit
 */
public record ProxySettingsConfig(
    int trustedHops,
    boolean rejectEncodedSlashes,
    boolean preserveHost,
    int maxHeaderBytes,
    int maxHeaderCount,
    int maxUriLength,
    long maxBodyBytes,
    long requestHeaderTimeoutMillis,
    long idleTimeoutMillis,
    long connectTimeoutMillis,
    long backendRequestTimeoutMillis) {}
