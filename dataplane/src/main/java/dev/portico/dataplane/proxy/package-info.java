/**
 * Forwarding to backends: pooled keep-alive connections, streamed bodies with back-pressure,
 * hop-by-hop and proxy headers, timeouts, retries and WebSocket tunnels. Runs on the request's
 * event loop and never blocks.
 */
package dev.portico.dataplane.proxy;
