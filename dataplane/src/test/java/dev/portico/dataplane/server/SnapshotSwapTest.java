package dev.portico.dataplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Swaps snapshots back and forth under concurrent traffic: no request may fail. */
class SnapshotSwapTest {
  static final String TO_A =
      """
          - matches: [{path: {type: PathPrefix, value: /x}}]
            backends: [{name: a, port: 80}]
      """;
  static final String TO_B =
      """
          - matches: [{path: {type: PathPrefix, value: /x}}]
            backends: [{name: b, port: 80}]
            filters:
              - type: ResponseHeaderModifier
                responseHeaderModifier: {set: [{name: X-Config, value: b}]}
      """;

  @Test
  void swapsUnderLoadDropNothing() throws Exception {
    try (GatewayHarness h = new GatewayHarness()) {
      h.backend("a");
      h.backend("b");
      h.serve(TO_A);
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger ok = new AtomicInteger();
      List<String> failures = new CopyOnWriteArrayList<>();
      Map<String, AtomicInteger> byBackend = new ConcurrentHashMap<>();
      List<Thread> clients = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Thread t =
            new Thread(
                () -> {
                  while (running.get()) {
                    try {
                      HttpResponse<String> r =
                          h.http.send(
                              HttpRequest.newBuilder(h.uri("/x"))
                                  .header("x-delay-ms", "20")
                                  .timeout(Duration.ofSeconds(10))
                                  .build(),
                              HttpResponse.BodyHandlers.ofString());
                      if (r.statusCode() != 200) {
                        failures.add(r.statusCode() + " " + r.body());
                      } else {
                        String name = new JsonObject(r.body()).getString("name");
                        byBackend.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
                        ok.incrementAndGet();
                      }
                    } catch (Exception e) {
                      failures.add(e.toString());
                    }
                  }
                });
        t.start();
        clients.add(t);
      }
      for (int swap = 0; swap < 20; swap++) {
        h.writeManifests(swap % 2 == 0 ? TO_B : TO_A);
        h.mode.reload(false);
        Thread.sleep(100);
      }
      running.set(false);
      for (Thread t : clients) {
        t.join(15_000);
      }
      assertThat(failures).isEmpty();
      assertThat(ok.get()).isGreaterThan(100);
      assertThat(byBackend.keySet()).containsExactlyInAnyOrder("a", "b");
    }
  }
}
