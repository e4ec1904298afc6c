package dev.portico.dataplane.routing;

import java.util.Map;

/**
 * An immutable hash map from strings to values that is queried with a region of a longer string, so
 * route lookups find a host without its port, or a path prefix, without a substring per probe.
 *
 * <p>The hash is {@link String#hashCode()}'s polynomial ({@code h = 31 * h + c}), computed over
 * ASCII-lower-cased characters when the map ignores case. Callers walking a string can therefore
 * keep the hash of a growing prefix themselves ({@link #step}) and probe with it ({@link #get(int,
 * String, int, int)}).
 */
final class RegionMap<V> {
  private final String[] keys;
  private final int[] hashes;
  private final Object[] values;
  private final int mask;
  private final boolean ignoreCase;
  private final int size;

  /**
   * @param entries keys must already be lower-case when {@code ignoreCase}
   */
  RegionMap(Map<String, V> entries, boolean ignoreCase) {
    int capacity = Integer.highestOneBit(Math.max(4, entries.size() * 2) - 1) << 1;
    this.keys = new String[capacity];
    this.hashes = new int[capacity];
    this.values = new Object[capacity];
    this.mask = capacity - 1;
    this.ignoreCase = ignoreCase;
    this.size = entries.size();
    entries.forEach(
        (key, value) -> {
          int h = hash(key, 0, key.length());
          int slot = spread(h) & mask;
          while (keys[slot] != null) {
            slot = (slot + 1) & mask;
          }
          keys[slot] = key;
          hashes[slot] = h;
          values[slot] = value;
        });
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Extends a hash by one character, as {@link #hash} would. */
  int step(int h, char c) {
    return 31 * h + (ignoreCase ? lower(c) : c);
  }

  int hash(String s, int from, int to) {
    int h = 0;
    for (int i = from; i < to; i++) {
      h = step(h, s.charAt(i));
    }
    return h;
  }

  V get(String s, int from, int to) {
    return get(hash(s, from, to), s, from, to);
  }

  /** The value of the key equal to {@code s[from, to)}, given that region's {@link #hash}. */
  @SuppressWarnings("unchecked")
  V get(int hash, String s, int from, int to) {
    int len = to - from;
    for (int slot = spread(hash) & mask; keys[slot] != null; slot = (slot + 1) & mask) {
      String key = keys[slot];
      if (hashes[slot] == hash && key.length() == len && regionEquals(key, s, from)) {
        return (V) values[slot];
      }
    }
    return null;
  }

  private boolean regionEquals(String key, String s, int from) {
    if (!ignoreCase) {
      return s.startsWith(key, from);
    }
    // ASCII-only folding: String.regionMatches(true, ...) would also fold e.g. the Kelvin sign.
    for (int i = 0; i < key.length(); i++) {
      if (key.charAt(i) != lower(s.charAt(from + i))) {
        return false;
      }
    }
    return true;
  }

  private static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }
}
