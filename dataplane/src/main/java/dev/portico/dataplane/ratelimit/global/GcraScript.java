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
import java.util.ArrayList;
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

  /** Takes one request from each of {@code steps}' counters, or from none. */
  static Future<Response> run(RedisAPI api, List<GlobalStep> steps) {
    int n = steps.size();
    List<String> args = new ArrayList<>(2 + 3 * n);
    args.add(SHA1);
    args.add(Integer.toString(n));
    for (GlobalStep step : steps) {
      args.add(CounterKeys.of(step.identity()));
    }
    for (GlobalStep step : steps) {
      args.add(Double.toString(step.intervalMicros()));
      args.add(Long.toString(step.burst()));
    }
    return api.evalsha(args)
        .recover(
            e -> {
              if (!String.valueOf(e.getMessage()).startsWith("NOSCRIPT")) {
                return Future.failedFuture(e);
              }
              List<String> withSource = new ArrayList<>(args);
              withSource.set(0, SOURCE);
              return api.eval(withSource);
            });
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
