package dev.portico.snapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6901 JSON pointers as compositions write them ({@code /items/0/id}), split into unescaped
 * segments. A segment that is exactly {@code *} is a wildcard where the composition allows it.
 */
public final class JsonPointers {
  private JsonPointers() {}

  /**
   * @throws IllegalArgumentException when {@code pointer} is not a pointer below the root
   */
  public static void check(String pointer) {
    split(pointer);
  }

  /**
   * The unescaped segments of a pointer ({@code ~1} is '/', {@code ~0} is '~').
   *
   * @throws IllegalArgumentException when {@code pointer} is not a pointer below the root
   */
  public static List<String> split(String pointer) {
    if (pointer == null || pointer.length() < 2 || pointer.charAt(0) != '/') {
      throw new IllegalArgumentException(
          "'" + pointer + "' is not a JSON pointer below the root (e.g. /items/0/id)");
    }
    List<String> out = new ArrayList<>();
    StringBuilder segment = new StringBuilder();
    for (int i = 1; i < pointer.length(); i++) {
      char c = pointer.charAt(i);
      if (c == '/') {
        out.add(segment.toString());
        segment.setLength(0);
      } else if (c == '~') {
        char next = i + 1 < pointer.length() ? pointer.charAt(i + 1) : ' ';
        if (next != '0' && next != '1') {
          throw new IllegalArgumentException(
              "'" + pointer + "': '~' must be followed by 0 or 1 (RFC 6901)");
        }
        segment.append(next == '0' ? '~' : '/');
        i++;
      } else {
        segment.append(c);
      }
    }
    out.add(segment.toString());
    return out;
  }
}
