/**
 * The data plane's Micrometer meters: request counts and latencies per route, upstream failures,
 * connections and the loaded snapshot, scraped by Prometheus on the admin port.
 *
 * <p>Tag values come only from the snapshot (rule ids, backends) or from small fixed sets (method,
 * status class), never from raw request data, so the number of series stays bounded.
 */
package dev.portico.dataplane.metrics;
