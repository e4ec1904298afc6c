package dev.portico.compiler;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses Gateway API durations such as {@code 1m30s} or {@code 250ms} into milliseconds. */
final class Durations {
  private static final Pattern WHOLE = Pattern.compile("^([0-9]{1,5}(h|m|s|ms)){1,4}$");
  private static final Pattern PART = Pattern.compile("([0-9]{1,5})(ms|h|m|s)");

  private Durations() {}

  /**
   * @return milliseconds, or null when {@code text} is null
   * @throws IllegalArgumentException when {@code text} is not a duration
   */
  static Long toMillis(String text) {
    if (text == null) {
      return null;
    }
    if (!WHOLE.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration such as 250ms, 5s or 1m30s");
    }
    long total = 0;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total +=
          switch (m.group(2)) {
            case "h" -> n * 3_600_000L;
            case "m" -> n * 60_000L;
            case "s" -> n * 1_000L;
            default -> n;
          };
    }
    return total;
  }
}
