package dev.portico.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Arrays;

/**
 * The snapshot's wire form between the operator and the data-plane replicas: JSON, read strictly
 * (an unknown field is an error, never silently dropped, so a replica older than its operator
 * refuses what it cannot enforce instead of serving less than was asked).
 */
public final class SnapshotCodec {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  private SnapshotCodec() {}

  /**
   * One line of the operator's stream: the version, then either the whole snapshot it names or, for
   * replicas that asked for deltas, the version it is based on and the delta from it.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Frame(String version, Snapshot snapshot, String base, SnapshotDelta delta) {}

  /** A stream line carrying the whole snapshot. */
  public static byte[] encodeFrame(Snapshot snapshot) {
    return line(new Frame(snapshot.version(), snapshot, null, null));
  }

  /** A stream line carrying the delta from {@code base} to {@code target}. */
  public static byte[] encodeDeltaFrame(Snapshot base, Snapshot target) {
    return line(
        new Frame(target.version(), null, base.version(), SnapshotDiff.between(base, target)));
  }

  /** The frame's JSON and a newline (JSON never holds a raw one). */
  private static byte[] line(Frame frame) {
    try {
      byte[] json = MAPPER.writeValueAsBytes(frame);
      byte[] line = Arrays.copyOf(json, json.length + 1);
      line[json.length] = '\n';
      return line;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("snapshot is not serializable", e);
    }
  }

  /**
   * Reads a stream line in one pass (a 5,000-route snapshot is ~1.7 MB: each extra pass is tens of
   * milliseconds of propagation).
   *
   * @throws IOException when the line is not a frame this version understands
   */
  public static Frame decodeFrame(byte[] line) throws IOException {
    return MAPPER.readValue(line, Frame.class);
  }

  public static byte[] encode(Snapshot snapshot) {
    try {
      return MAPPER.writeValueAsBytes(snapshot);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("snapshot is not serializable", e);
    }
  }

  /**
   * @throws IOException when the bytes are not a snapshot this version understands
   */
  public static Snapshot decode(byte[] json) throws IOException {
    return MAPPER.readValue(json, Snapshot.class);
  }
}
