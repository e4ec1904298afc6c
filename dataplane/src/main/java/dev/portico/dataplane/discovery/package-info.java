/**
 * Cluster-mode discovery: each replica watches the EndpointSlices of exactly the Services its
 * snapshot names and updates the upstream pools in place, so endpoint churn never waits for a
 * recompile or a push. Runs on Fabric8 informer threads, never on an event loop.
 */
package dev.portico.dataplane.discovery;
