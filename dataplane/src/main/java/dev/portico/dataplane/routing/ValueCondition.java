package dev.portico.dataplane.routing;

import com.google.re2j.Pattern;
import dev.portico.snapshot.MatchConfig.ValueMatch;

/** One header or query-parameter condition of a route, with its pattern compiled once. */
final class ValueCondition {
  final String name;
  private final String value;
  private final Pattern pattern;

  private ValueCondition(String name, String value, Pattern pattern) {
    this.name = name;
    this.value = value;
    this.pattern = pattern;
  }

  static ValueCondition of(ValueMatch m, String where) {
    Pattern pattern = m.regex() ? Patterns.compile(m.value(), where) : null;
    return new ValueCondition(m.name(), m.value(), pattern);
  }

  /** True when the request's first value is present and equals, or wholly matches, the value. */
  boolean holds(String actual) {
    if (actual == null) {
      return false;
    }
    return pattern == null ? value.equals(actual) : pattern.matches(actual);
  }
}
