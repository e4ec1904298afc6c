package dev.portico.dataplane.accesslog;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

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

  private final ByteArrayBuilder buffer = new ByteArrayBuilder(16 * 1024);
  private int entries;

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

  private static String iso(Instant timestamp) {
    return timestamp.toString();
  }

  private static String cap(String value) {
    return value == null || value.length() <= MAX_FIELD_CHARS
        ? value
        : value.substring(0, MAX_FIELD_CHARS);
  }
}
