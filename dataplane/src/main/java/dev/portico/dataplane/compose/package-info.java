/**
 * The {@code compose} action: part requests to several backends, issued through the shared upstream
 * client with the rule's load balancing, timeouts and retries, merged into one JSON response in
 * declaration order.
 */
package dev.portico.dataplane.compose;
