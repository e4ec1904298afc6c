package dev.portico.dataplane.routing;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

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

  private RegionMap(String[] keys, int[] hashes, Object[] values, boolean ignoreCase, int size) {
    this.keys = keys;
    this.hashes = hashes;
    this.values = values;
    this.mask = keys.length - 1;
    this.ignoreCase = ignoreCase;
    this.size = size;
  }

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

  /**
   * This map with {@code changes} applied (a null value removes its key), this one untouched: a
   * copy of its slots patched in place, so the cost is one array copy and the changes, not a rehash
   * of every key. Rebuilt whole when the changes would fill it past half.
   *
   * @param changes keys must already be lower-case when {@code ignoreCase}
   */
  RegionMap<V> with(Map<String, V> changes) {
    if (changes.isEmpty()) {
      return this;
    }
    if ((size + changes.size()) * 2 > keys.length) {
      Map<String, V> all = new HashMap<>(size + changes.size());
      forEach(all::put);
      changes.forEach(
          (key, value) -> {
            if (value == null) {
              all.remove(key);
            } else {
              all.put(key, value);
            }
          });
      return new RegionMap<>(all, ignoreCase);
    }
    RegionMap<V> copy =
        new RegionMap<>(keys.clone(), hashes.clone(), values.clone(), ignoreCase, size);
    int[] count = {size};
    changes.forEach((key, value) -> count[0] += copy.set(key, value));
    return count[0] == size
        ? copy
        : new RegionMap<>(copy.keys, copy.hashes, copy.values, ignoreCase, count[0]);
  }

  /** Every key with its value, in slot order. */
  @SuppressWarnings("unchecked")
  void forEach(BiConsumer<String, V> action) {
    for (int slot = 0; slot < keys.length; slot++) {
      if (keys[slot] != null) {
        action.accept(keys[slot], (V) values[slot]);
      }
    }
  }

  /** Puts or (null) removes one key in place: only on a copy not yet published. */
  private int set(String key, Object value) {
    int h = hash(key, 0, key.length());
    int slot = spread(h) & mask;
    while (keys[slot] != null && !(hashes[slot] == h && keys[slot].equals(key))) {
      slot = (slot + 1) & mask;
    }
    if (keys[slot] != null) {
      if (value != null) {
        values[slot] = value;
        return 0;
      }
      remove(slot);
      return -1;
    }
    if (value == null) {
      return 0;
    }
    keys[slot] = key;
    hashes[slot] = h;
    values[slot] = value;
    return 1;
  }

  /**
   * Empties a slot by shifting back the later keys of its probe run that may move there, so every
   * key stays reachable from its home slot without tombstones (Knuth's algorithm R).
   */
  private void remove(int empty) {
    int slot = empty;
    while (true) {
      slot = (slot + 1) & mask;
      if (keys[slot] == null) {
        break;
      }
      int home = spread(hashes[slot]) & mask;
      // The key at slot may fill the hole unless its home lies cyclically in (empty, slot].
      boolean stays = empty <= slot ? empty < home && home <= slot : empty < home || home <= slot;
      if (!stays) {
        keys[empty] = keys[slot];
        hashes[empty] = hashes[slot];
        values[empty] = values[slot];
        empty = slot;
      }
    }
    keys[empty] = null;
    hashes[empty] = 0;
    values[empty] = null;
  }

  int size() {
    return size;
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
