package dev.portico.dataplane.ratelimit.global;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Request;
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

  /**
   * One request's steps as one {@code EVALSHA}, for {@link #runAll}: each request is its own atomic
   * script run, so the requests of a batch stay independent of one another.
   */
  static Request request(List<GlobalStep> steps, boolean withSource) {
    Request r = Request.cmd(withSource ? Command.EVAL : Command.EVALSHA);
    r.arg(withSource ? SOURCE : SHA1).arg(steps.size());
    for (GlobalStep step : steps) {
      r.arg(CounterKeys.of(step.identity()));
    }
    for (GlobalStep step : steps) {
      r.arg(Double.toString(step.intervalMicros())).arg(step.burst());
    }
    return r;
  }

  /**
   * Several requests' steps, pipelined in one write on one pooled connection. When Redis lost the
   * script (a restart or a failover) the batch is sent again with the source, once.
   */
  static Future<List<Response>> runAll(Redis redis, List<List<GlobalStep>> batch) {
    return redis
        .batch(requests(batch, false))
        .recover(
            e ->
                // A batch's error names the failing command: "ERR [i] NOSCRIPT ...".
                String.valueOf(e.getMessage()).contains("NOSCRIPT")
                    ? redis.batch(requests(batch, true))
                    : Future.failedFuture(e));
  }

  private static List<Request> requests(List<List<GlobalStep>> batch, boolean withSource) {
    List<Request> out = new ArrayList<>(batch.size());
    for (List<GlobalStep> steps : batch) {
      out.add(request(steps, withSource));
    }
    return out;
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
