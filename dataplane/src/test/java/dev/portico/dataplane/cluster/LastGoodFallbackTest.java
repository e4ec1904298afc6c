package dev.portico.dataplane.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When a starting replica serves the stored snapshot: only if the operator's comes not first. */
class LastGoodFallbackTest {
  private static final byte[] LINE = "stored".getBytes(StandardCharsets.UTF_8);
  private static final LastGoodSnapshot.Found FOUND =
      new LastGoodSnapshot.Found("v1", LINE, "2030-01-02T03:04:05Z", "Secrets ns/x-0..");

  private final AtomicBoolean streamed = new AtomicBoolean();
  private final AtomicInteger reads = new AtomicInteger();
  private final List<byte[]> offered = new CopyOnWriteArrayList<>();
  private LastGoodFallback fallback;

  @AfterEach
  void close() {
    fallback.close();
  }

  private LastGoodFallback fallback(Duration wait, int failingReads) {
    fallback =
        new LastGoodFallback(
            () -> {
              if (reads.incrementAndGet() <= failingReads) {
                throw new IllegalStateException("API server unreachable");
              }
              return Optional.of(FOUND);
            },
            streamed::get,
            line -> {
              if (streamed.get()) {
                return false;
              }
              offered.add(line);
              return true;
            },
            wait,
            Duration.ofMillis(50));
    return fallback;
  }

  private void await(String what, java.util.function.BooleanSupplier done) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out awaiting " + what);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void aFailedFirstConnectionServesTheStoredSnapshotAtOnce() throws Exception {
    fallback(Duration.ofMinutes(1), 0).start();

    fallback.connectionFailed("connection refused");

    await("the stored snapshot offered", () -> !offered.isEmpty());
    assertThat(offered).containsExactly(LINE);
  }

  @Test
  void noSnapshotWithinTheWaitServesTheStoredSnapshot() throws Exception {
    fallback(Duration.ofMillis(100), 0).start();

    await("the stored snapshot offered", () -> !offered.isEmpty());
    assertThat(offered).containsExactly(LINE);
  }

  @Test
  void aSnapshotFromTheStreamFirstMeansTheStoreIsNeverRead() throws Exception {
    fallback(Duration.ofMillis(100), 0).start();
    streamed.set(true);

    fallback.connectionFailed("the snapshot stream broke");
    Thread.sleep(400); // past the wait: both triggers had their chance

    assertThat(reads).hasValue(0);
    assertThat(offered).isEmpty();
  }

  @Test
  void aSnapshotFromTheStreamDuringTheReadWins() throws Exception {
    fallback =
        new LastGoodFallback(
            () -> {
              streamed.set(true); // the operator's frame arrives while the Secrets are read
              return Optional.of(FOUND);
            },
            streamed::get,
            line -> {
              if (streamed.get()) {
                return false;
              }
              offered.add(line);
              return true;
            },
            Duration.ofMillis(10),
            Duration.ofMillis(50));
    fallback.start();

    Thread.sleep(300);
    assertThat(offered).isEmpty();
  }

  @Test
  void onlyTheFirstTriggerReadsAndAnUnansweredReadIsRetried() throws Exception {
    fallback(Duration.ofMillis(100), 2).start();

    fallback.connectionFailed("connection refused");
    fallback.connectionFailed("connection refused");
    await("the stored snapshot offered", () -> !offered.isEmpty());
    Thread.sleep(300); // past the wait, which must not read again

    assertThat(reads).as("two failed reads, then one that worked").hasValue(3);
    assertThat(offered).containsExactly(LINE);
  }
}
