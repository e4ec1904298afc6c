package dev.portico.dataplane.proxy;

import dev.portico.dataplane.cors.CorsResponse;
import dev.portico.snapshot.HeaderEdits;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;

/**
 * Everything the proxy stage needs about one request, prepared by the server's pipeline after
 * routing and request edits: what to send, where, and within which limits.
 *
 * @param uri path and query for the backend, already rewritten
 * @param authority the Host to send, or null to send the chosen endpoint's address
 * @param headers the upstream request headers: copied without hop-by-hop, proxy headers and edits
 *     applied
 * @param hasBody true when the request has a body to stream; such requests are never retried, since
 *     the body is streamed and not kept
 * @param hashKey consistent-hash key, or null
 * @param requestTimeoutMillis whole request until the response head, 0 for none
 * @param perTryTimeoutMillis one attempt until its response head
 * @param maxBodyBytes request body limit, 0 for none
 * @param responseEdits the rule's response header edits
 * @param cors the CORS fields that replace the backend's Access-Control-* fields, or null when the
 *     rule has no CORS filter
 * @param webSocket true for an HTTP/1.1 {@code Upgrade: websocket} request: tunnelled after 101
 */
public record ProxyRequest(
    HttpServerRequest request,
    String requestId,
    RuleBackends backends,
    String uri,
    HostAndPort authority,
    MultiMap headers,
    boolean hasBody,
    String hashKey,
    long connectTimeoutMillis,
    long requestTimeoutMillis,
    long perTryTimeoutMillis,
    long idleTimeoutMillis,
    long maxBodyBytes,
    HeaderEdits responseEdits,
    CorsResponse cors,
    boolean webSocket) {}
