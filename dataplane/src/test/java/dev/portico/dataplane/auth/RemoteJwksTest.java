package dev.portico.dataplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import dev.portico.snapshot.SecurityConfig.JwtIssuerConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * JWK Sets from a URL: cached, refreshed, rotated, and never refetched more than once a cooldown.
 */
class RemoteJwksTest {
  final AtomicLong now = new AtomicLong(1_800_000_000_000L);
  final AtomicInteger fetches = new AtomicInteger();
  final AtomicReference<String> served = new AtomicReference<>();

  final JwksFetcher fetcher =
      uri -> {
        fetches.incrementAndGet();
        String body = served.get();
        return body == null
            ? Future.failedFuture("connection refused")
            : Future.succeededFuture(body);
      };

  final RemoteJwks jwks = new RemoteJwks("https://idp/jwks", 300_000, 30_000, fetcher, now::get);

  JwtAuthenticator authenticator() {
    JwtIssuerConfig config =
        new JwtIssuerConfig(
            Tokens.ISSUER,
            List.of(),
            "https://idp/jwks",
            null,
            List.of("RS256"),
            0,
            300_000,
            30_000,
            List.of());
    return new JwtAuthenticator(List.of(JwtAuthenticator.issuer(config, jwks)), now::get);
  }

  @Test
  void keysAreFetchedOnceAndCached() {
    RSAKey k1 = Tokens.rsa("k1");
    served.set(Tokens.jwks(k1));
    JwtAuthenticator a = authenticator();
    for (int i = 0; i < 10; i++) {
      assertThat(a.verify(Tokens.sign(k1, Tokens.claims(now.get()).build())).succeeded()).isTrue();
    }
    assertThat(fetches).hasValue(1);
  }

  @Test
  void aRotatedKeyIsPickedUpByItsUnknownKid() {
    RSAKey k1 = Tokens.rsa("k1");
    RSAKey k2 = Tokens.rsa("k2");
    served.set(Tokens.jwks(k1));
    JwtAuthenticator a = authenticator();
    assertThat(a.verify(Tokens.sign(k1, Tokens.claims(now.get()).build())).succeeded()).isTrue();
    served.set(Tokens.jwks(k2)); // the issuer rotated
    now.addAndGet(31_000);
    assertThat(a.verify(Tokens.sign(k2, Tokens.claims(now.get()).build())).succeeded()).isTrue();
    assertThat(fetches).hasValue(2);
    // The old key is gone from the set: its tokens fail now.
    assertThat(a.verify(Tokens.sign(k1, Tokens.claims(now.get()).build())).failed()).isTrue();
  }

  @Test
  void anUnknownKidFloodCostsAtMostOneFetchPerCooldown() {
    RSAKey k1 = Tokens.rsa("k1");
    served.set(Tokens.jwks(k1));
    JwtAuthenticator a = authenticator();
    a.verify(Tokens.sign(k1, Tokens.claims(now.get()).build()));
    assertThat(fetches).hasValue(1);
    for (int i = 0; i < 200; i++) {
      String kid = "made-up-" + i;
      String forged = Tokens.sign(k1, Tokens.claims(now.get()).build(), h -> h.keyID(kid));
      assertThat(a.verify(forged).failed()).isTrue();
      now.addAndGet(100); // 200 tokens over 20 s: within one cooldown
    }
    assertThat(fetches).hasValue(2);
    now.addAndGet(30_000);
    a.verify(Tokens.sign(k1, Tokens.claims(now.get()).build(), h -> h.keyID("made-up-x")));
    assertThat(fetches).hasValue(3);
  }

  @Test
  void keysAreRefreshedInTheBackgroundAfterTheInterval() {
    RSAKey k1 = Tokens.rsa("k1");
    served.set(Tokens.jwks(k1));
    JwtAuthenticator a = authenticator();
    a.verify(Tokens.sign(k1, Tokens.claims(now.get()).build()));
    now.addAndGet(299_000);
    a.verify(Tokens.sign(k1, Tokens.claims(now.get()).build()));
    assertThat(fetches).hasValue(1);
    now.addAndGet(2_000);
    assertThat(a.verify(Tokens.sign(k1, Tokens.claims(now.get()).build())).succeeded()).isTrue();
    assertThat(fetches).hasValue(2);
  }

  @Test
  void aFailingUrlKeepsTheKeysItHadAndIsNotHammered() {
    RSAKey k1 = Tokens.rsa("k1");
    served.set(Tokens.jwks(k1));
    JwtAuthenticator a = authenticator();
    a.verify(Tokens.sign(k1, Tokens.claims(now.get()).build()));
    served.set(null); // the issuer is down
    now.addAndGet(301_000);
    for (int i = 0; i < 20; i++) {
      assertThat(a.verify(Tokens.sign(k1, Tokens.claims(now.get()).build())).succeeded()).isTrue();
    }
    assertThat(fetches).hasValue(2);
  }

  @Test
  void withoutAnyKeysTheCallerLearnsTheyCannotBeChecked() {
    JwtAuthenticator a = authenticator();
    RSAKey k1 = Tokens.rsa("k1");
    Future<Identity> f = a.verify(Tokens.sign(k1, Tokens.claims(now.get()).build()));
    assertThat(f.failed()).isTrue();
    assertThat(f.cause()).isInstanceOf(KeysUnavailableException.class);
    for (int i = 0; i < 10; i++) {
      a.verify(Tokens.sign(k1, Tokens.claims(now.get()).build()));
    }
    assertThat(fetches).hasValue(1);
  }

  @Test
  void concurrentCallersShareOneFetch() {
    Promise<String> slow = Promise.promise();
    AtomicInteger calls = new AtomicInteger();
    RemoteJwks shared =
        new RemoteJwks(
            "https://idp/jwks",
            300_000,
            30_000,
            uri -> {
              calls.incrementAndGet();
              return slow.future();
            },
            now::get);
    Future<KeySet> a = shared.keys();
    Future<KeySet> b = shared.keys();
    slow.complete(Tokens.jwks(Tokens.rsa("k1")));
    assertThat(a.result().hasKid("k1")).isTrue();
    assertThat(b.result().hasKid("k1")).isTrue();
    assertThat(calls).hasValue(1);
  }
}
