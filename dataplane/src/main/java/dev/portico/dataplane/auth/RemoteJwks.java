package dev.portico.dataplane.auth;

import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.text.ParseException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An issuer's JWK Set fetched from its URL: cached, fetched again every refresh interval (in the
 * background, serving the cached keys meanwhile), and on a token with an unknown key id at most
 * once per cooldown, so a flood of made-up key ids costs one fetch per cooldown. One fetch at a
 * time; concurrent callers share it. Symmetric keys from a URL are ignored (HS* needs a Secret). A
 * failed fetch keeps the keys it had. Thread-safe: every event loop of a replica shares one.
 */
final class RemoteJwks implements JwksSource {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteJwks.class);

  private final String uri;
  private final long refreshMillis;
  private final long cooldownMillis;
  private final JwksFetcher fetcher;
  private final LongSupplier clock;

  private volatile KeySet keys;
  private volatile long fetchedAt;
  private Future<KeySet> inFlight;
  private long lastFetch = Long.MIN_VALUE / 2;
  private long lastKidFetch = Long.MIN_VALUE / 2;
  private boolean failing;

  RemoteJwks(
      String uri,
      long refreshMillis,
      long cooldownMillis,
      JwksFetcher fetcher,
      LongSupplier clock) {
    this.uri = uri;
    this.refreshMillis = refreshMillis;
    this.cooldownMillis = cooldownMillis;
    this.fetcher = fetcher;
    this.clock = clock;
  }

  @Override
  public Future<KeySet> keys() {
    KeySet current = keys;
    if (current == null) {
      return fetch(false);
    }
    if (clock.getAsLong() - fetchedAt >= refreshMillis) {
      fetch(false); // in the background: this request uses the keys at hand
    }
    return Future.succeededFuture(current);
  }

  @Override
  public Future<KeySet> unknownKid(KeySet current) {
    synchronized (this) {
      long now = clock.getAsLong();
      if (inFlight == null && now - lastKidFetch < cooldownMillis) {
        return Future.succeededFuture(keys == null ? current : keys);
      }
      lastKidFetch = now;
    }
    return fetch(true);
  }

  private Future<KeySet> fetch(boolean forKid) {
    Promise<KeySet> promise;
    synchronized (this) {
      if (inFlight != null) {
        return inFlight;
      }
      long now = clock.getAsLong();
      // Without keys, requests wait for a fetch; still at most one per cooldown after a failure.
      if (!forKid && keys == null && failing && now - lastFetch < cooldownMillis) {
        return Future.failedFuture("the JWK Set of " + uri + " could not be fetched");
      }
      lastFetch = now;
      promise = Promise.promise();
      inFlight = promise.future();
    }
    fetcher
        .fetch(uri)
        .onComplete(
            ar -> {
              KeySet result = null;
              String problem = null;
              if (ar.succeeded()) {
                try {
                  result = KeySet.of(JWKSet.parse(ar.result()).getKeys(), false);
                } catch (ParseException e) {
                  problem = "the body is not a JWK Set";
                }
              } else {
                problem = ar.cause().getMessage();
              }
              synchronized (this) {
                inFlight = null;
                if (result != null) {
                  keys = result;
                  fetchedAt = clock.getAsLong();
                  if (failing) {
                    LOG.info("JWK Set of {} fetched again", uri);
                  }
                  failing = false;
                } else {
                  if (!failing) {
                    LOG.warn("cannot fetch the JWK Set of {}: {}", uri, problem);
                  }
                  failing = true;
                  fetchedAt = clock.getAsLong(); // retry after a refresh interval, not at once
                }
              }
              if (result != null) {
                promise.complete(result);
              } else if (keys != null) {
                promise.complete(keys);
              } else {
                promise.fail("the JWK Set of " + uri + " could not be fetched: " + problem);
              }
            });
    return promise.future();
  }

  String uri() {
    return uri;
  }
}
