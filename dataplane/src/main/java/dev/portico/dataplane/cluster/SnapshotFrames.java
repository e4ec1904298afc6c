package dev.portico.dataplane.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portico.compiler.SnapshotHasher;
import dev.portico.snapshot.Snapshot;
import dev.portico.snapshot.SnapshotCodec;
import java.io.IOException;

/** Reads one line of the operator's stream: {@code {"version": .., "snapshot": {..}}}. */
final class SnapshotFrames {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SnapshotFrames() {}

  /** A frame whose snapshot could not be read still names its version, so it can be refused. */
  record Frame(String version, Snapshot snapshot, String problem) {}

  static Frame read(byte[] line) {
    SnapshotCodec.Frame wire;
    try {
      wire = SnapshotCodec.decodeFrame(line);
    } catch (IOException e) {
      return new Frame(versionOf(line), null, "this data plane cannot read it: " + e.getMessage());
    }
    String version = wire.version() == null ? "" : wire.version();
    Snapshot snapshot = wire.snapshot();
    if (version.isEmpty() || snapshot == null) {
      return new Frame(version, null, "a frame needs a version and a snapshot");
    }
    // The version is the content hash: a replica that reads less than was sent (an older
    // replica, a truncated frame) finds out here instead of serving it.
    String computed = SnapshotHasher.versioned(snapshot).version();
    if (!computed.equals(version) || !version.equals(snapshot.version())) {
      return new Frame(
          version, null, "content hashes to " + computed + ", not to its version " + version);
    }
    return new Frame(version, snapshot, null);
  }

  /** The version of a line that could not be read, so the refusal can name it; "" if none. */
  private static String versionOf(byte[] line) {
    try {
      JsonNode node = JSON.readTree(line);
      return node == null ? "" : node.path("version").asText("");
    } catch (IOException e) {
      return "";
    }
  }
}
