/**
 * The gateway's own error responses, {@code application/problem+json} (RFC 9457) with stable type
 * URIs; the one place that maps a failure to a status.
 */
package dev.portico.dataplane.problem;
