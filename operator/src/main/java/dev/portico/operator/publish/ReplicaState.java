package dev.portico.operator.publish;

/**
 * What one connected data-plane replica reports: the version it runs (null before it applied one)
 * and the last version it refused with the reason (both null when it has not refused one since).
 * The DataPlane's status lists these.
 */
public record ReplicaState(String running, String refusedVersion, String refusedReason) {}
