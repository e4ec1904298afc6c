package dev.portico.operator.channel;

/** Decides whether the caller of the snapshot channel may read one DataPlane's snapshots. */
public interface ReplicaAuthenticator {
  /**
   * @param bearerToken the token from the Authorization header, never logged
   * @return true when the token proves the identity of that DataPlane's replicas
   */
  boolean mayRead(String bearerToken, String namespace, String dataPlane);
}
