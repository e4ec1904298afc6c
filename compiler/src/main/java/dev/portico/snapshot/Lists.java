package dev.portico.snapshot;

import java.util.List;

/** Immutable copies that read a missing list (omitted in JSON) as empty. */
final class Lists {
  private Lists() {}

  static <T> List<T> copy(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }
}
