/**
 * The access log: one JSON object per answered request, written off the event loop by a single
 * thread, dropped (and counted) rather than ever making a request wait for the log.
 */
package dev.portico.dataplane.accesslog;
