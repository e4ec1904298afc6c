package dev.portico.dataplane.compose;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.snapshot.JsonPointers;
import dev.portico.snapshot.PathTemplate;
import dev.portico.snapshot.PathTemplate.Header;
import dev.portico.snapshot.PathTemplate.Literal;
import dev.portico.snapshot.PathTemplate.PartValue;
import dev.portico.snapshot.PathTemplate.PathParam;
import dev.portico.snapshot.PathTemplate.QueryParam;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A part's path template, parsed when the snapshot loads and filled per request. Every value is
 * percent-encoded (only RFC 3986 unreserved characters stay as they are) so that no client input
 * can add a path segment, a query parameter or a dot segment to a part request.
 */
final class PartTemplate {
  /** What a template reads from the request and the parts before it. */
  interface Values {
    /** A path parameter, decoded, or null. */
    String pathParam(String name);

    String queryParam(String name);

    String header(String lowerCaseName);

    /** The parsed response (or fallback) of an earlier part, or null. */
    JsonNode part(String name);
  }

  /** A value the template needs is missing; {@code fromClient} says whose fault that is. */
  record Missing(String what, boolean fromClient) {}

  private final String text;
  private final List<PathTemplate.Segment> segments;
  private final List<List<String>> pointers;

  private PartTemplate(String text, List<PathTemplate.Segment> segments) {
    this.text = text;
    this.segments = segments;
    List<List<String>> p = new ArrayList<>(segments.size());
    for (PathTemplate.Segment s : segments) {
      p.add(s instanceof PartValue v ? JsonPointers.split(v.pointer()) : null);
    }
    this.pointers = p;
  }

  /**
   * @throws IllegalArgumentException when the compiler let through a template this data plane
   *     cannot parse
   */
  static PartTemplate parse(String template) {
    return new PartTemplate(template, PathTemplate.parse(template).segments());
  }

  String text() {
    return text;
  }

  /** The names of the parts this template reads from. */
  List<String> parts() {
    List<String> out = new ArrayList<>();
    for (PathTemplate.Segment s : segments) {
      if (s instanceof PartValue v) {
        out.add(v.part());
      }
    }
    return out;
  }

  /**
   * The filled path and query.
   *
   * @param missing receives the first missing value; the result is then null
   */
  String fill(Values values, java.util.function.Consumer<Missing> missing) {
    StringBuilder out = new StringBuilder(text.length() + 32);
    for (int i = 0; i < segments.size(); i++) {
      PathTemplate.Segment s = segments.get(i);
      String value;
      if (s instanceof Literal literal) {
        out.append(literal.text());
        continue;
      } else if (s instanceof PathParam p) {
        value = values.pathParam(p.name());
        if (value == null) {
          missing.accept(new Missing("path parameter " + p.name(), true));
          return null;
        }
      } else if (s instanceof QueryParam q) {
        value = values.queryParam(q.name());
        if (value == null) {
          missing.accept(new Missing("query parameter " + q.name(), true));
          return null;
        }
      } else if (s instanceof Header h) {
        value = values.header(h.name());
        if (value == null) {
          missing.accept(new Missing("header " + h.name(), true));
          return null;
        }
      } else {
        PartValue v = (PartValue) s;
        JsonNode body = values.part(v.part());
        List<String> found = new ArrayList<>();
        if (body != null) {
          scalars(body, pointers.get(i), 0, found);
        }
        if (found.isEmpty()) {
          missing.accept(
              new Missing("value " + v.pointer() + " in the response of part " + v.part(), false));
          return null;
        }
        for (int k = 0; k < found.size(); k++) {
          out.append(k == 0 ? "" : ",").append(encode(found.get(k)));
        }
        continue;
      }
      out.append(encode(value));
    }
    return out.toString();
  }

  /**
   * Collects the text of the scalar at {@code path}; a {@code *} segment collects every element's
   * (joined with commas by the caller, e.g. ids for a batch endpoint). Objects, arrays, null and
   * absent values add nothing.
   */
  static void scalars(JsonNode node, List<String> path, int depth, List<String> out) {
    if (depth == path.size()) {
      if (node.isValueNode() && !node.isNull()) {
        out.add(node.asText());
      }
      return;
    }
    String segment = path.get(depth);
    if (segment.equals(JsonShaper.WILDCARD) && node.isContainerNode()) {
      for (JsonNode child : node) {
        scalars(child, path, depth + 1, out);
      }
      return;
    }
    JsonNode child = JsonShaper.child(node, segment);
    if (child != null) {
      scalars(child, path, depth + 1, out);
    }
  }

  /** Percent-encodes all but unreserved characters; '.' and '..' become %2E and %2E%2E. */
  static String encode(String value) {
    if (value.equals(".") || value.equals("..")) {
      return value.replace(".", "%2E");
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length);
    for (byte b : bytes) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }
}
