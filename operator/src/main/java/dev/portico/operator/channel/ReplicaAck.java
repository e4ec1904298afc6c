package dev.portico.operator.channel;

/**
 * A replica's answer to one snapshot version: applied, or refused with the reason.
 *
 * @param replica the pod name the replica reports
 */
public record ReplicaAck(String replica, String version, boolean applied, String reason) {}
