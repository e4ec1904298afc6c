package dev.portico.snapshot;

import dev.portico.snapshot.SnapshotDelta.ListenerDelta;
import dev.portico.snapshot.SnapshotDelta.VirtualHostDelta;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes the {@link SnapshotDelta} from a base snapshot to a target. Components the compiler
 * reused are the same objects in both, so most comparisons end at an identity check.
 */
public final class SnapshotDiff {
  private SnapshotDiff() {}

  public static SnapshotDelta between(Snapshot base, Snapshot target) {
    List<ListenerDelta> listeners = new ArrayList<>();
    for (ListenerConfig l : target.listeners()) {
      Map<String, VirtualHost> before = hostsOf(base, l.name());
      List<VirtualHostDelta> hosts = new ArrayList<>();
      for (VirtualHost vh : l.virtualHosts()) {
        hosts.add(host(before.get(vh.hostname()), vh));
      }
      ListenerConfig previous = listenerOf(base, l.name());
      boolean same =
          previous != null
              && !l.certificates().isEmpty()
              && previous.certificates().equals(l.certificates());
      listeners.add(
          new ListenerDelta(
              l.name(), l.port(), l.protocol(), same ? List.of() : l.certificates(), same, hosts));
    }
    // Both rule lists are sorted by id: one merge walk finds what is new, changed or gone.
    List<RuleConfig> changed = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<RuleConfig> a = base.rules();
    List<RuleConfig> b = target.rules();
    int i = 0;
    int j = 0;
    while (i < a.size() || j < b.size()) {
      int order = i == a.size() ? 1 : j == b.size() ? -1 : a.get(i).id().compareTo(b.get(j).id());
      if (order < 0) {
        removed.add(a.get(i++).id());
      } else if (order > 0) {
        changed.add(b.get(j++));
      } else {
        RuleConfig x = a.get(i++);
        RuleConfig y = b.get(j++);
        if (x != y && !x.equals(y)) {
          changed.add(y);
        }
      }
    }
    return new SnapshotDelta(
        target.proxy(),
        listeners,
        changed,
        removed,
        target.rateLimits(),
        target.dataPlaneRateLimits(),
        target.rateLimitHeaders(),
        target.redis(),
        target.auth());
  }

  private static VirtualHostDelta host(VirtualHost base, VirtualHost target) {
    if (base == null) {
      return new VirtualHostDelta(target.hostname(), 0, 0, target.routes());
    }
    if (base == target) {
      return new VirtualHostDelta(target.hostname(), base.routes().size(), 0, List.of());
    }
    List<RouteEntry> a = base.routes();
    List<RouteEntry> b = target.routes();
    int head = 0;
    while (head < a.size() && head < b.size() && a.get(head).equals(b.get(head))) {
      head++;
    }
    int tail = 0;
    while (tail < a.size() - head
        && tail < b.size() - head
        && a.get(a.size() - 1 - tail).equals(b.get(b.size() - 1 - tail))) {
      tail++;
    }
    return new VirtualHostDelta(target.hostname(), head, tail, b.subList(head, b.size() - tail));
  }

  /** The snapshot's listener of that name, or null. */
  static ListenerConfig listenerOf(Snapshot snapshot, String name) {
    for (ListenerConfig l : snapshot.listeners()) {
      if (l.name().equals(name)) {
        return l;
      }
    }
    return null;
  }

  static Map<String, VirtualHost> hostsOf(Snapshot snapshot, String listener) {
    Map<String, VirtualHost> hosts = new HashMap<>();
    for (ListenerConfig l : snapshot.listeners()) {
      if (l.name().equals(listener)) {
        l.virtualHosts().forEach(vh -> hosts.putIfAbsent(vh.hostname(), vh));
      }
    }
    return hosts;
  }
}
