package dev.portico.dataplane.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Merges shaped part values into the response document, called in declaration order only (never in
 * order of arrival), so equal inputs give byte-identical output. Objects merge member by member;
 * arrays are concatenated or replaced by the later part; anything else is replaced.
 */
final class JsonMerger {
  private final boolean mergeArrays;

  JsonMerger(boolean mergeArrays) {
    this.mergeArrays = mergeArrays;
  }

  /** Places {@code value} under {@code key}, or at the root when key is null. */
  void place(ObjectNode root, String key, JsonNode value) {
    if (key != null) {
      root.set(key, combine(root.get(key), value));
      return;
    }
    if (value instanceof ObjectNode object) {
      for (var field : object.properties()) {
        root.set(field.getKey(), combine(root.get(field.getKey()), field.getValue()));
      }
    }
  }

  private JsonNode combine(JsonNode before, JsonNode after) {
    if (before == null) {
      return after;
    }
    if (before instanceof ObjectNode a && after instanceof ObjectNode b) {
      for (var field : b.properties()) {
        a.set(field.getKey(), combine(a.get(field.getKey()), field.getValue()));
      }
      return a;
    }
    if (mergeArrays && before instanceof ArrayNode a && after instanceof ArrayNode b) {
      a.addAll(b);
      return a;
    }
    return after;
  }
}
