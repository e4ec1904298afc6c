package dev.portico.dataplane.server;

import dev.portico.snapshot.RuleConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Which rules a snapshot adds, changes or drops against the served one, so that loading it prepares
 * only those: a snapshot patched from a delta holds the served snapshot's own object for every
 * unchanged rule, and both lists are sorted by id, so one walk that compares references finds the
 * changes and compares ids only around them.
 *
 * @param updated rules that are new or not the served object of their id
 * @param removed ids the served snapshot has and this one does not
 */
record RuleChanges(List<RuleConfig> updated, List<String> removed) {

  /**
   * The changes from {@code before} (strictly increasing ids) to {@code after}, or null when {@code
   * after} is not strictly increasing by id: then only a whole load says what it means.
   */
  static RuleChanges between(List<RuleConfig> before, List<RuleConfig> after) {
    List<RuleConfig> updated = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    String last = null; // the id after[j - 1] has
    // Consecutive shared objects are in order because before is: only the ids next to an
    // element taken from after alone need a comparison.
    boolean lastShared = false;
    int i = 0;
    int j = 0;
    while (i < before.size() || j < after.size()) {
      RuleConfig x = i < before.size() ? before.get(i) : null;
      RuleConfig y = j < after.size() ? after.get(j) : null;
      if (x != null && x == y) {
        if (!lastShared && last != null && last.compareTo(y.id()) >= 0) {
          return null;
        }
        last = y.id();
        lastShared = true;
        i++;
        j++;
        continue;
      }
      int order = x == null ? 1 : y == null ? -1 : x.id().compareTo(y.id());
      if (order < 0) {
        removed.add(x.id());
        i++;
        continue;
      }
      if (last != null && last.compareTo(y.id()) >= 0) {
        return null;
      }
      updated.add(y);
      last = y.id();
      lastShared = false;
      j++;
      if (order == 0) {
        i++;
      }
    }
    return new RuleChanges(updated, removed);
  }

  /** Whether the ids strictly increase, which {@link #between} needs of the served list. */
  static boolean increasing(List<RuleConfig> rules) {
    for (int i = 1; i < rules.size(); i++) {
      if (rules.get(i - 1).id().compareTo(rules.get(i).id()) >= 0) {
        return false;
      }
    }
    return true;
  }
}
