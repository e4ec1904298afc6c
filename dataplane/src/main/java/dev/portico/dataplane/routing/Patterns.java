package dev.portico.dataplane.routing;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/** Compiles a route's regular expressions when a table is built, never per request. */
final class Patterns {
  private Patterns() {}

  static Pattern compile(String regex, String where) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new InvalidRouteException(
          where + ": '" + regex + "' is not a valid RE2 regular expression: " + e.getDescription(),
          e);
    }
  }
}
