package dev.portico.dataplane.auth;

import io.vertx.core.Future;

/** Where an issuer's keys come from: a Secret (fixed for the snapshot) or a URL (fetched). */
interface JwksSource {
  /** The keys to try now; may wait for a first fetch. */
  Future<KeySet> keys();

  /**
   * A token named a key id that {@code current} lacks: the keys after at most one refetch per
   * cooldown (the same set when the cooldown has not passed).
   */
  Future<KeySet> unknownKid(KeySet current);

  /** Keys from a Secret. */
  static JwksSource fixed(KeySet keys) {
    Future<KeySet> done = Future.succeededFuture(keys);
    return new JwksSource() {
      @Override
      public Future<KeySet> keys() {
        return done;
      }

      @Override
      public Future<KeySet> unknownKid(KeySet current) {
        return done;
      }
    };
  }
}
