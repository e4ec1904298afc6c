package dev.portico.dataplane.accesslog;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Serializes entries as JSON lines into a batch buffer, for {@link AccessLog}'s writer thread.
 * Jackson escapes every string, so a header value with a newline or quote cannot forge a line.
 */
final class AccessLogWriter {
  /**
   * Header-derived fields are capped so a line stays bounded whatever a client sends; the path is
   * already bounded by the URI length limit.
   */
  static final int MAX_FIELD_CHARS = 1024;

  private static final JsonFactory JSON = new JsonFactory();

  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  private final ByteArrayBuilder buffer = new ByteArrayBuilder(16 * 1024);
  private int entries;
  private long cachedSecond;
  private String cachedPrefix;

  /** Appends one entry and a newline to the batch. */
  void append(AccessLogEntry e) {
    try (JsonGenerator json = JSON.createGenerator(buffer, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeStringField("timestamp", e.timestamp() == null ? null : iso(e.timestamp()));
      json.writeStringField("requestId", cap(e.requestId()));
      json.writeStringField("clientAddress", cap(e.clientAddress()));
      json.writeStringField("method", e.method());
      json.writeStringField("host", cap(e.host()));
      json.writeStringField("path", e.path());
      json.writeStringField("protocol", e.protocol());
      json.writeNumberField("status", e.status());
      json.writeStringField("route", e.route());
      json.writeStringField("upstream", e.upstream());
      json.writeNumberField("durationMillis", e.durationMillis());
      json.writeNumberField("upstreamMillis", e.upstreamMillis());
      json.writeNumberField("bytesSent", e.bytesSent());
      json.writeStringField("userAgent", cap(e.userAgent()));
      json.writeEndObject();
    } catch (IOException ex) {
      // ByteArrayBuilder is in memory: nothing here can fail with an I/O error.
      throw new UncheckedIOException(ex);
    }
    buffer.append('\n');
    entries++;
  }

  /** Entries in the batch. */
  int entries() {
    return entries;
  }

  int size() {
    return buffer.size();
  }

  /** The batch so far; {@link #reset()} before appending again. */
  byte[] bytes() {
    return buffer.toByteArray();
  }

  void reset() {
    buffer.reset();
    entries = 0;
  }

  /**
   * RFC 3339 in UTC with milliseconds, always the same width ({@code 2025-01-02T03:04:05.678Z}).
   * The date and time of day are formatted once per second: {@link Instant#toString()} for every
   * line was a third of this writer's time.
   */
  private String iso(Instant timestamp) {
    long second = timestamp.getEpochSecond();
    if (second != cachedSecond || cachedPrefix == null) {
      cachedSecond = second;
      cachedPrefix = SECONDS.format(timestamp);
    }
    int millis = timestamp.getNano() / 1_000_000;
    char[] out = new char[cachedPrefix.length() + 5];
    cachedPrefix.getChars(0, cachedPrefix.length(), out, 0);
    int i = cachedPrefix.length();
    out[i] = '.';
    out[i + 1] = (char) ('0' + millis / 100);
    out[i + 2] = (char) ('0' + millis / 10 % 10);
    out[i + 3] = (char) ('0' + millis % 10);
    out[i + 4] = 'Z';
    return new String(out);
  }

  private static String cap(String value) {
    return value == null || value.length() <= MAX_FIELD_CHARS
        ? value
        : value.substring(0, MAX_FIELD_CHARS);
  }
}
