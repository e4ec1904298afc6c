package dev.portico.snapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * The grammar of a composition part's {@code path}: literal text with {@code {placeholders}}. The
 * compiler parses it to validate references; the data plane parses it once per snapshot to fill it
 * per request.
 *
 * <ul>
 *   <li>{@code {name}}: a path parameter, a named group of the rule's regular-expression match
 *   <li>{@code {query.name}}: a query parameter of the client request
 *   <li>{@code {header.name}}: a header of the client request (case-insensitive)
 *   <li>{@code {parts.other/json/pointer}}: a value from the response of an earlier part
 * </ul>
 */
public record PathTemplate(List<Segment> segments) {
  public PathTemplate {
    segments = List.copyOf(segments);
  }

  /** One piece of a template. */
  public sealed interface Segment {}

  /** Text sent as written. */
  public record Literal(String text) implements Segment {}

  /** A named group of the matched path's regular expression. */
  public record PathParam(String name) implements Segment {}

  /** A query parameter; the first value when repeated. */
  public record QueryParam(String name) implements Segment {}

  /** A request header, lower-case name. */
  public record Header(String name) implements Segment {}

  /**
   * A value from an earlier part's JSON response.
   *
   * @param pointer RFC 6901 pointer; a {@code *} segment collects every element, joined by commas
   */
  public record PartValue(String part, String pointer) implements Segment {}

  /**
   * @throws IllegalArgumentException naming what is wrong with the template
   */
  public static PathTemplate parse(String template) {
    if (template == null || !template.startsWith("/")) {
      throw new IllegalArgumentException("must start with '/'");
    }
    List<Segment> out = new ArrayList<>();
    int i = 0;
    StringBuilder literal = new StringBuilder();
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c == '}') {
        throw new IllegalArgumentException("'}' at offset " + i + " closes no placeholder");
      }
      if (c != '{') {
        if (c <= ' ' || c == 0x7f || c == '#') {
          throw new IllegalArgumentException(
              "character at offset " + i + " is not allowed in a path template");
        }
        literal.append(c);
        i++;
        continue;
      }
      int end = template.indexOf('}', i);
      if (end < 0) {
        throw new IllegalArgumentException("'{' at offset " + i + " is not closed");
      }
      String expr = template.substring(i + 1, end);
      if (expr.indexOf('{') >= 0) {
        throw new IllegalArgumentException("placeholders cannot nest (offset " + i + ")");
      }
      if (!literal.isEmpty()) {
        out.add(new Literal(literal.toString()));
        literal.setLength(0);
      }
      out.add(placeholder(expr));
      i = end + 1;
    }
    if (!literal.isEmpty()) {
      out.add(new Literal(literal.toString()));
    }
    return new PathTemplate(out);
  }

  private static Segment placeholder(String expr) {
    if (expr.startsWith("query.")) {
      return new QueryParam(nonEmpty(expr.substring(6), expr));
    }
    if (expr.startsWith("header.")) {
      String name = nonEmpty(expr.substring(7), expr);
      if (!HttpTokens.isToken(name)) {
        throw new IllegalArgumentException("{" + expr + "}: not a header name");
      }
      return new Header(name.toLowerCase(java.util.Locale.ROOT));
    }
    if (expr.startsWith("parts.")) {
      String rest = expr.substring(6);
      int slash = rest.indexOf('/');
      if (slash <= 0) {
        throw new IllegalArgumentException(
            "{" + expr + "}: write {parts.<part>/<json pointer>}, e.g. {parts.order/items/0/id}");
      }
      String pointer = rest.substring(slash);
      JsonPointers.check(pointer);
      return new PartValue(rest.substring(0, slash), pointer);
    }
    if (expr.isEmpty()
        || !Character.isLetter(expr.charAt(0))
        || !expr.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_')) {
      throw new IllegalArgumentException(
          "{"
              + expr
              + "}: a placeholder is {name} (a path parameter), {query.name}, {header.name} or"
              + " {parts.<part>/<json pointer>}");
    }
    return new PathParam(expr);
  }

  private static String nonEmpty(String name, String expr) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("{" + expr + "} names nothing");
    }
    return name;
  }
}
