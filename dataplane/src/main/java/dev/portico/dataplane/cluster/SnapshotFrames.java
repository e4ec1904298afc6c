package dev.portico.dataplane.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portico.compiler.SnapshotHasher;
import dev.portico.snapshot.Snapshot;
import dev.portico.snapshot.SnapshotCodec;
import dev.portico.snapshot.SnapshotPatch;
import dev.portico.snapshot.SnapshotPatch.InvalidDeltaException;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * Reads the lines of the operator's stream in order: a whole snapshot {@code {"version": ..,
 * "snapshot": {..}}}, or a delta {@code {"version": .., "base": .., "delta": {..}}} from the
 * previous line's snapshot (or, after a reconnect, from the served one). Either way the result must
 * hash to its version. Digests of unchanged parts are remembered between lines, so checking a
 * patched 5,000-route snapshot costs what changed. Not thread-safe: one applier thread.
 */
final class SnapshotFrames {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<Snapshot> served;
  private final SnapshotHasher hasher = new SnapshotHasher();
  private Snapshot last;

  /**
   * @param served the snapshot the replica serves now, a delta's base after a reconnect
   */
  SnapshotFrames(Supplier<Snapshot> served) {
    this.served = served;
  }

  /**
   * A frame whose snapshot could not be read still names its version, so it can be refused; when it
   * is a delta from a snapshot this replica does not have, {@code resync} asks for a new stream.
   */
  record Frame(String version, Snapshot snapshot, String problem, boolean resync) {
    static Frame refused(String version, String problem) {
      return new Frame(version, null, problem, false);
    }
  }

  Frame read(byte[] line) {
    SnapshotCodec.Frame wire;
    try {
      wire = SnapshotCodec.decodeFrame(line);
    } catch (IOException e) {
      return Frame.refused(versionOf(line), "this data plane cannot read it: " + e.getMessage());
    }
    String version = wire.version() == null ? "" : wire.version();
    if (version.isEmpty() || (wire.snapshot() == null) == (wire.delta() == null)) {
      return Frame.refused(version, "a frame needs a version and either a snapshot or a delta");
    }
    Snapshot content;
    if (wire.snapshot() != null) {
      content = wire.snapshot();
    } else {
      Snapshot base = base(wire.base());
      if (base == null) {
        return new Frame(
            version,
            null,
            "a delta from " + wire.base() + ", which this replica does not have",
            true);
      }
      try {
        content = SnapshotPatch.apply(base, wire.delta());
      } catch (InvalidDeltaException e) {
        return new Frame(version, null, "the delta does not fit its base: " + e.getMessage(), true);
      }
    }
    // The version is the content hash: a replica that reads less than was sent (an older
    // replica, a truncated frame, a delta patched wrong) finds out here instead of serving it.
    Snapshot versioned = hasher.version(content);
    hasher.forgetUnused();
    if (!versioned.version().equals(version)
        || (wire.snapshot() != null && !version.equals(wire.snapshot().version()))) {
      return Frame.refused(
          version, "content hashes to " + versioned.version() + ", not to its version " + version);
    }
    last = versioned;
    return new Frame(version, versioned, null, false);
  }

  private Snapshot base(String version) {
    if (last != null && last.version().equals(version)) {
      return last;
    }
    Snapshot now = served.get();
    return now != null && now.version().equals(version) ? now : null;
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
