/**
 * The data plane's front: listeners (one Vert.x server per port and event loop), the per-request
 * pipeline from the limits to the action, and the atomic snapshot holder. Each request reads the
 * current {@link dev.portico.dataplane.server.LoadedSnapshot} once and keeps it to its end, so a
 * swap never changes a request half-way.
 */
package dev.portico.dataplane.server;
