package dev.portico.snapshot;

import dev.portico.snapshot.SnapshotDelta.ListenerDelta;
import dev.portico.snapshot.SnapshotDelta.VirtualHostDelta;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Applies a {@link SnapshotDelta} to its base. Unchanged virtual hosts and rules stay the base's
 * objects, so a replica rebuilds the index of what changed only. The result carries no version: the
 * caller hashes it and compares with the version the delta claims.
 */
public final class SnapshotPatch {
  private SnapshotPatch() {}

  /**
   * @throws InvalidDeltaException when the delta does not fit the base (a count past the end of a
   *     virtual host, a removed rule the base does not have)
   */
  public static Snapshot apply(Snapshot base, SnapshotDelta delta) throws InvalidDeltaException {
    List<ListenerConfig> listeners = new ArrayList<>();
    for (ListenerDelta l : delta.listeners()) {
      Map<String, VirtualHost> before = SnapshotDiff.hostsOf(base, l.name());
      List<VirtualHost> hosts = new ArrayList<>();
      for (VirtualHostDelta vh : l.virtualHosts()) {
        hosts.add(host(before.get(vh.hostname()), vh, l.name()));
      }
      List<TlsCertificate> certificates = l.certificates();
      if (l.sameCertificates()) {
        ListenerConfig previous = SnapshotDiff.listenerOf(base, l.name());
        if (previous == null) {
          throw new InvalidDeltaException(
              "keeps the certificates of listener " + l.name() + ", which the base does not have");
        }
        certificates = previous.certificates();
      }
      listeners.add(new ListenerConfig(l.name(), l.port(), l.protocol(), certificates, hosts));
    }
    return new Snapshot(
        base.dataPlane(),
        "",
        delta.proxy(),
        listeners,
        rules(base.rules(), delta.rules(), delta.removedRules()),
        delta.rateLimits(),
        delta.dataPlaneRateLimits(),
        delta.rateLimitHeaders(),
        delta.redis(),
        delta.auth());
  }

  /**
   * The base's rules with the delta's new, changed and removed ones applied. Every list is sorted
   * by id (the base as every snapshot's rules, the delta's as {@link SnapshotDelta} says), so each
   * change is found by a binary search from the previous one and the rules between are copied in
   * runs: the cost is the changes' plus one array copy, not a map of every rule.
   */
  static List<RuleConfig> rules(
      List<RuleConfig> base, List<RuleConfig> changed, List<String> removed)
      throws InvalidDeltaException {
    if (changed.isEmpty() && removed.isEmpty()) {
      return base;
    }
    if (!increasing(changed, RuleConfig::id) || !increasing(removed, id -> id)) {
      return rulesByMap(base, changed, removed); // not what SnapshotDiff sends, but still readable
    }
    RuleConfig[] out = new RuleConfig[base.size() + changed.size()];
    int n = 0;
    int from = 0; // base[0, from) is decided
    int c = 0;
    int r = 0;
    while (c < changed.size() || r < removed.size()) {
      RuleConfig put = c < changed.size() ? changed.get(c) : null;
      String gone = r < removed.size() ? removed.get(r) : null;
      int order = put == null ? 1 : gone == null ? -1 : put.id().compareTo(gone);
      String id = order <= 0 ? put.id() : gone;
      int at = find(base, from, id);
      if (at < 0 && order >= 0) {
        throw new InvalidDeltaException("removes rule " + id + ", which the base does not have");
      }
      int end = at < 0 ? -at - 1 : at;
      for (int i = from; i < end; i++) {
        out[n++] = base.get(i);
      }
      if (order <= 0) {
        out[n++] = put; // new, changed, or removed and sent again: the delta's rule is the target's
        c++;
      }
      if (order >= 0) {
        r++;
      }
      from = at < 0 ? end : at + 1;
    }
    for (int i = from; i < base.size(); i++) {
      out[n++] = base.get(i);
    }
    return Arrays.asList(out).subList(0, n);
  }

  /** The index of {@code id} in {@code rules[from, size)}, or {@code -(insertion point) - 1}. */
  private static int find(List<RuleConfig> rules, int from, String id) {
    int low = from;
    int high = rules.size() - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int order = rules.get(mid).id().compareTo(id);
      if (order < 0) {
        low = mid + 1;
      } else if (order > 0) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -low - 1;
  }

  private static <T> boolean increasing(List<T> list, Function<T, String> id) {
    for (int i = 1; i < list.size(); i++) {
      if (id.apply(list.get(i - 1)).compareTo(id.apply(list.get(i))) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** The general form for a delta whose lists are out of order or repeat an id. */
  private static List<RuleConfig> rulesByMap(
      List<RuleConfig> base, List<RuleConfig> changed, List<String> removed)
      throws InvalidDeltaException {
    TreeMap<String, RuleConfig> rules = new TreeMap<>();
    base.forEach(r -> rules.put(r.id(), r));
    for (String id : removed) {
      if (rules.remove(id) == null) {
        throw new InvalidDeltaException("removes rule " + id + ", which the base does not have");
      }
    }
    changed.forEach(r -> rules.put(r.id(), r));
    return List.copyOf(rules.values());
  }

  private static VirtualHost host(VirtualHost base, VirtualHostDelta delta, String listener)
      throws InvalidDeltaException {
    int head = delta.keepHead();
    int tail = delta.keepTail();
    if (base == null) {
      if (head != 0 || tail != 0) {
        throw new InvalidDeltaException(
            "keeps entries of host "
                + delta.hostname()
                + " on listener "
                + listener
                + ", which the base does not have");
      }
      return new VirtualHost(delta.hostname(), delta.routes());
    }
    List<RouteEntry> a = base.routes();
    if (head < 0 || tail < 0 || head + tail > a.size()) {
      throw new InvalidDeltaException(
          "keeps "
              + head
              + "+"
              + tail
              + " of the "
              + a.size()
              + " entries of host "
              + delta.hostname()
              + " on listener "
              + listener);
    }
    if (delta.routes().isEmpty() && head + tail == a.size()) {
      return base; // unchanged: the same object, so the replica keeps its index
    }
    List<RouteEntry> entries = new ArrayList<>(head + delta.routes().size() + tail);
    entries.addAll(a.subList(0, head));
    entries.addAll(delta.routes());
    entries.addAll(a.subList(a.size() - tail, a.size()));
    return new VirtualHost(delta.hostname(), entries);
  }

  /** A delta that cannot have been computed from this base. */
  public static final class InvalidDeltaException extends Exception {
    public InvalidDeltaException(String message) {
      super(message);
    }
  }
}
