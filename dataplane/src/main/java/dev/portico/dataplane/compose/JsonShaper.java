package dev.portico.dataplane.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.snapshot.ComposePartConfig;
import dev.portico.snapshot.JsonPointers;
import java.util.ArrayList;
import java.util.List;

/**
 * A part's field selection, applied to its parsed response before the merge: the allow list ({@code
 * select}), then the deny list ({@code omit}), then the renames. Pointers are split once, when the
 * snapshot loads; a {@code *} segment in select and omit matches every array element or object
 * member.
 */
final class JsonShaper {
  static final String WILDCARD = "*";

  private final List<List<String>> select;
  private final List<List<String>> omit;
  private final List<List<String>> renameFrom;
  private final List<List<String>> renameTo;

  private JsonShaper(
      List<List<String>> select,
      List<List<String>> omit,
      List<List<String>> renameFrom,
      List<List<String>> renameTo) {
    this.select = select;
    this.omit = omit;
    this.renameFrom = renameFrom;
    this.renameTo = renameTo;
  }

  static JsonShaper of(ComposePartConfig part) {
    List<List<String>> from = new ArrayList<>();
    List<List<String>> to = new ArrayList<>();
    for (ComposePartConfig.Rename r : part.rename()) {
      from.add(JsonPointers.split(r.from()));
      to.add(JsonPointers.split(r.to()));
    }
    return new JsonShaper(split(part.select()), split(part.omit()), from, to);
  }

  boolean isIdentity() {
    return select.isEmpty() && omit.isEmpty() && renameFrom.isEmpty();
  }

  /** The shaped value; {@code value} is this request's own copy and may be changed in place. */
  JsonNode apply(JsonNode value) {
    JsonNode out = value;
    if (!select.isEmpty()) {
      JsonNode picked = pick(value, select, 0);
      out =
          picked != null
              ? picked
              : value.isArray()
                  ? JsonNodeFactory.instance.arrayNode()
                  : JsonNodeFactory.instance.objectNode();
    }
    for (List<String> path : omit) {
      remove(out, path, 0);
    }
    for (int i = 0; i < renameFrom.size(); i++) {
      JsonNode moved = take(out, renameFrom.get(i));
      if (moved != null) {
        put(out, renameTo.get(i), moved);
      }
    }
    return out;
  }

  /** The parts of {@code node} that some path reaches, or null when none does. */
  private static JsonNode pick(JsonNode node, List<List<String>> paths, int depth) {
    for (List<String> p : paths) {
      if (p.size() == depth) {
        return node; // selected whole
      }
    }
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (var field : node.properties()) {
        List<List<String>> sub = matching(paths, depth, field.getKey());
        if (!sub.isEmpty()) {
          JsonNode v = pick(field.getValue(), sub, depth + 1);
          if (v != null) {
            out.set(field.getKey(), v);
          }
        }
      }
      return out.isEmpty() ? null : out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      for (int i = 0; i < node.size(); i++) {
        List<List<String>> sub = matching(paths, depth, Integer.toString(i));
        if (!sub.isEmpty()) {
          JsonNode v = pick(node.get(i), sub, depth + 1);
          if (v != null) {
            out.add(v);
          }
        }
      }
      return out.isEmpty() ? null : out;
    }
    return null;
  }

  private static List<List<String>> matching(List<List<String>> paths, int depth, String name) {
    List<List<String>> out = new ArrayList<>(paths.size());
    for (List<String> p : paths) {
      String segment = p.get(depth);
      if (segment.equals(name) || segment.equals(WILDCARD)) {
        out.add(p);
      }
    }
    return out;
  }

  private static void remove(JsonNode node, List<String> path, int depth) {
    String segment = path.get(depth);
    boolean last = depth == path.size() - 1;
    if (node instanceof ObjectNode object) {
      if (segment.equals(WILDCARD)) {
        if (last) {
          object.removeAll();
        } else {
          object.forEach(child -> remove(child, path, depth + 1));
        }
      } else if (last) {
        object.remove(segment);
      } else if (object.has(segment)) {
        remove(object.get(segment), path, depth + 1);
      }
    } else if (node instanceof ArrayNode array) {
      if (segment.equals(WILDCARD)) {
        if (last) {
          array.removeAll();
        } else {
          array.forEach(child -> remove(child, path, depth + 1));
        }
        return;
      }
      int index = index(segment);
      if (index >= 0 && index < array.size()) {
        if (last) {
          array.remove(index);
        } else {
          remove(array.get(index), path, depth + 1);
        }
      }
    }
  }

  /** Removes and returns the value at {@code path}, or null when there is none. */
  private static JsonNode take(JsonNode root, List<String> path) {
    JsonNode parent = root;
    for (int i = 0; i < path.size() - 1 && parent != null; i++) {
      parent = child(parent, path.get(i));
    }
    String last = path.get(path.size() - 1);
    if (parent instanceof ObjectNode object) {
      return object.remove(last);
    }
    if (parent instanceof ArrayNode array) {
      int index = index(last);
      return index >= 0 && index < array.size() ? array.remove(index) : null;
    }
    return null;
  }

  /** Sets {@code value} at {@code path}, creating objects on the way; skipped if blocked. */
  private static void put(JsonNode root, List<String> path, JsonNode value) {
    JsonNode node = root;
    for (int i = 0; i < path.size() - 1; i++) {
      JsonNode next = child(node, path.get(i));
      if (next == null && node instanceof ObjectNode object) {
        next = object.putObject(path.get(i));
      }
      if (next == null || !next.isContainerNode()) {
        return;
      }
      node = next;
    }
    String last = path.get(path.size() - 1);
    if (node instanceof ObjectNode object) {
      object.set(last, value);
    } else if (node instanceof ArrayNode array) {
      int index = index(last);
      if (index >= 0 && index < array.size()) {
        array.set(index, value);
      } else if (last.equals("-") || index == array.size()) {
        array.add(value);
      }
    }
  }

  /** The child named by one pointer segment, or null. */
  static JsonNode child(JsonNode node, String segment) {
    if (node.isObject()) {
      return node.get(segment);
    }
    if (node.isArray()) {
      int index = index(segment);
      return index >= 0 ? node.get(index) : null;
    }
    return null;
  }

  /** An array index as RFC 6901 writes it (no sign, no leading zero), or -1. */
  static int index(String segment) {
    if (segment.isEmpty()
        || segment.length() > 9
        || (segment.length() > 1 && segment.startsWith("0"))) {
      return -1;
    }
    for (int i = 0; i < segment.length(); i++) {
      if (!Character.isDigit(segment.charAt(i))) {
        return -1;
      }
    }
    return Integer.parseInt(segment);
  }

  private static List<List<String>> split(List<String> pointers) {
    List<List<String>> out = new ArrayList<>(pointers.size());
    pointers.forEach(p -> out.add(JsonPointers.split(p)));
    return List.copyOf(out);
  }
}
