/**
 * The admin port, separate from traffic: liveness and readiness probes, Prometheus metrics and a
 * read-only view of the loaded snapshot.
 */
package dev.portico.dataplane.admin;
