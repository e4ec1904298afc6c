package dev.portico.dataplane.ratelimit.global;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The GCRA step ({@code gcra.lua}) and how to run it: by its SHA-1 ({@code EVALSHA}), sending the
 * source only when this Redis does not have it cached yet (after a restart or a failover).
 */
final class GcraScript {
  static final String SOURCE = load();
  static final String SHA1 = sha1(SOURCE);

  private GcraScript() {}

  /** Caches the script in Redis ({@code SCRIPT LOAD}). */
  static Future<Void> load(RedisAPI api) {
    return api.script(List.of("LOAD", SOURCE)).mapEmpty();
  }

  static Future<Response> run(RedisAPI api, String key, double intervalMicros, long burst) {
    String interval = Double.toString(intervalMicros);
    String tokens = Long.toString(burst);
    return api.evalsha(List.of(SHA1, "1", key, interval, tokens))
        .recover(
            e ->
                String.valueOf(e.getMessage()).startsWith("NOSCRIPT")
                    ? api.eval(List.of(SOURCE, "1", key, interval, tokens))
                    : Future.failedFuture(e));
  }

  private static String load() {
    try (InputStream in = GcraScript.class.getResourceAsStream("gcra.lua")) {
      if (in == null) {
        throw new IllegalStateException("gcra.lua is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(String source) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
