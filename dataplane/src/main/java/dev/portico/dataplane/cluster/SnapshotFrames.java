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
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (IOException e) {
      return new Frame("", null, "not JSON: " + e.getMessage());
    }
    String version = node.path("version").asText("");
    if (version.isEmpty() || !node.has("snapshot")) {
      return new Frame(version, null, "a frame needs a version and a snapshot");
    }
    try {
      Snapshot snapshot = SnapshotCodec.decode(JSON.writeValueAsBytes(node.get("snapshot")));
      // The version is the content hash: a replica that reads less than was sent (an older
      // replica, a truncated frame) finds out here instead of serving it.
      String computed = SnapshotHasher.versioned(snapshot).version();
      if (!computed.equals(version) || !version.equals(snapshot.version())) {
        return new Frame(
            version, null, "content hashes to " + computed + ", not to its version " + version);
      }
      return new Frame(version, snapshot, null);
    } catch (IOException e) {
      return new Frame(version, null, "this data plane cannot read it: " + e.getMessage());
    }
  }
}
