package dev.portico.dataplane.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portico.dataplane.metrics.ProxyMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class AccessLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ProxyMetrics metrics = new ProxyMetrics(registry);

  @Test
  void writesOneJsonObjectPerLine() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AccessLog log = new AccessLog(out, 16, metrics);
    log.log(entry("/catalog/products", "curl/8.5"));
    log.log(entry("/v1/reviews/1", "Mozilla/5.0 (X11; Linux x86_64)"));
    log.log(
        new AccessLogEntry(
            Instant.parse("2025-01-02T03:04:05.678Z"),
            "r-3",
            "10.0.0.9",
            "POST",
            "shop.example.com",
            "/missing",
            "HTTP/2",
            404,
            null,
            null,
            2,
            -1,
            0,
            null));
    log.close();

    List<JsonNode> lines = lines(out);
    assertThat(lines).hasSize(3);
    JsonNode first = lines.get(0);
    assertThat(first.get("timestamp").asText()).isEqualTo("2025-01-02T03:04:05.678Z");
    assertThat(first.get("requestId").asText()).isEqualTo("r-1");
    assertThat(first.get("clientAddress").asText()).isEqualTo("192.0.2.7");
    assertThat(first.get("method").asText()).isEqualTo("GET");
    assertThat(first.get("host").asText()).isEqualTo("shop.example.com");
    assertThat(first.get("path").asText()).isEqualTo("/catalog/products");
    assertThat(first.get("protocol").asText()).isEqualTo("HTTP/1.1");
    assertThat(first.get("status").asInt()).isEqualTo(200);
    assertThat(first.get("route").asText()).isEqualTo("shop/catalog/0");
    assertThat(first.get("upstream").asText()).isEqualTo("10.1.2.3:8080");
    assertThat(first.get("durationMillis").asLong()).isEqualTo(15);
    assertThat(first.get("upstreamMillis").asLong()).isEqualTo(12);
    assertThat(first.get("bytesSent").asLong()).isEqualTo(512);
    assertThat(first.get("userAgent").asText()).isEqualTo("curl/8.5");
    assertThat(lines.get(1).get("path").asText()).isEqualTo("/v1/reviews/1");
    JsonNode third = lines.get(2);
    assertThat(third.get("route").isNull()).isTrue();
    assertThat(third.get("upstream").isNull()).isTrue();
    assertThat(third.get("upstreamMillis").asLong()).isEqualTo(-1);
    assertThat(third.get("userAgent").isNull()).isTrue();
    assertThat(counter("portico.accesslog.dropped")).isZero();
  }

  @Test
  void neverWritesTheQueryString() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AccessLog log = new AccessLog(out, 16, metrics);
    log.log(entry("/login?token=s3cr3t&user=ana", "curl/8.5"));
    log.log(entry("/docs#access_token=s3cr3t", "curl/8.5"));
    log.close();

    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).doesNotContain("s3cr3t");
    assertThat(lines(out))
        .extracting(n -> n.get("path").asText())
        .containsExactly("/login", "/docs");
  }

  @Test
  void escapesHeaderValuesSoTheyCannotForgeLines() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AccessLog log = new AccessLog(out, 16, metrics);
    String forged = "x\"}\n{\"status\":200,\"path\":\"/admin\"}\r\n\u0000\u2028é";
    log.log(entry("/a", forged));
    log.log(entry("/b", "x".repeat(10_000)));
    log.close();

    List<JsonNode> lines = lines(out);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).get("userAgent").asText()).isEqualTo(forged);
    assertThat(lines.get(1).get("userAgent").asText()).hasSize(AccessLogWriter.MAX_FIELD_CHARS);
  }

  @Test
  @Timeout(20) // a log() that blocks would otherwise hang the build instead of failing
  void dropsAndCountsInsteadOfBlockingWhenTheOutputIsStuck() throws Exception {
    StuckOutputStream out = new StuckOutputStream();
    int capacity = 4;
    AccessLog log = new AccessLog(out, capacity, metrics);
    log.log(entry("/first", "ua"));
    assertThat(out.entered.await(5, TimeUnit.SECONDS)).as("writer reached the stream").isTrue();

    // The writer is now blocked inside write(): only the queue can take entries. A log() that
    // waited for room would never return here, and @Timeout fails the test instead of hanging.
    int attempts = 10_000;
    for (int i = 0; i < attempts; i++) {
      log.log(entry("/n/" + i, "ua"));
    }

    assertThat(counter("portico.accesslog.dropped")).isEqualTo(attempts - capacity);

    out.release.countDown();
    log.close();
    List<JsonNode> lines = lines(out.written);
    assertThat(lines).hasSize(1 + capacity);
    assertThat(lines.get(0).get("path").asText()).isEqualTo("/first");
  }

  @Test
  void countsLinesLostToAFailingStreamAndKeepsGoing() throws Exception {
    FailingOutputStream out = new FailingOutputStream();
    AccessLog log = new AccessLog(out, 16, metrics);
    log.log(entry("/lost", "ua"));
    log.close();
    assertThat(counter("portico.accesslog.dropped")).isEqualTo(1);

    AccessLog after = new AccessLog(out, 16, metrics);
    after.close();
    after.log(entry("/late", "ua"));
    assertThat(counter("portico.accesslog.dropped")).isEqualTo(2);
  }

  private double counter(String name) {
    return registry.get(name).counter().count();
  }

  private static AccessLogEntry entry(String path, String userAgent) {
    return new AccessLogEntry(
        Instant.parse("2025-01-02T03:04:05.678Z"),
        "r-1",
        "192.0.2.7",
        "GET",
        "shop.example.com",
        path,
        "HTTP/1.1",
        200,
        "shop/catalog/0",
        "10.1.2.3:8080",
        15,
        12,
        512,
        userAgent);
  }

  private static List<JsonNode> lines(ByteArrayOutputStream out) throws IOException {
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).endsWith("\n");
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : text.split("\n")) {
      nodes.add(JSON.readTree(line));
    }
    return nodes;
  }

  /** Blocks every write until released, like a full pipe nobody reads. */
  private static final class StuckOutputStream extends OutputStream {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final ByteArrayOutputStream written = new ByteArrayOutputStream();

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      written.write(b, off, len);
    }
  }

  private static final class FailingOutputStream extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      throw new IOException("disk full");
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      throw new IOException("disk full");
    }
  }
}
