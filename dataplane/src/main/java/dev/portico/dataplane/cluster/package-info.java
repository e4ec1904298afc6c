/**
 * Cluster mode: the data plane receives its snapshots from the operator's channel, answers each
 * version, and finds backend addresses through EndpointSlice discovery.
 */
package dev.portico.dataplane.cluster;
