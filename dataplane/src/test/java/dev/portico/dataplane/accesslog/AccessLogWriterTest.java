package dev.portico.dataplane.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessLogWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void timestampsAreUtcWithMillisecondsWhateverTheOrderOfSeconds() throws Exception {
    List<String> instants =
        List.of(
            "2025-01-02T03:04:05Z",
            "2025-01-02T03:04:05.999999Z",
            "2025-01-02T03:04:06.007Z",
            "2025-01-02T03:04:05.120Z", // a line from an earlier second, after a later one
            "2025-12-31T23:59:59.5Z",
            "1970-01-01T00:00:00Z");
    AccessLogWriter writer = new AccessLogWriter();
    for (String at : instants) {
      writer.append(
          new AccessLogEntry(
              Instant.parse(at),
              "r",
              "192.0.2.1",
              "GET",
              "h",
              "/",
              "HTTP/1.1",
              200,
              null,
              null,
              1,
              -1,
              0,
              null));
    }
    String[] lines = new String(writer.bytes(), StandardCharsets.UTF_8).split("\n");
    List<String> stamps =
        java.util.Arrays.stream(lines)
            .map(
                l -> {
                  try {
                    return JSON.readTree(l).get("timestamp").asText();
                  } catch (Exception e) {
                    throw new AssertionError(e);
                  }
                })
            .toList();
    assertThat(stamps)
        .containsExactly(
            "2025-01-02T03:04:05.000Z",
            "2025-01-02T03:04:05.999Z",
            "2025-01-02T03:04:06.007Z",
            "2025-01-02T03:04:05.120Z",
            "2025-12-31T23:59:59.500Z",
            "1970-01-01T00:00:00.000Z");
  }
}
