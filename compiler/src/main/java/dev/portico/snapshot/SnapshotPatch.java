package dev.portico.snapshot;

import dev.portico.snapshot.SnapshotDelta.ListenerDelta;
import dev.portico.snapshot.SnapshotDelta.VirtualHostDelta;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
    TreeMap<String, RuleConfig> rules = new TreeMap<>();
    base.rules().forEach(r -> rules.put(r.id(), r));
    for (String id : delta.removedRules()) {
      if (rules.remove(id) == null) {
        throw new InvalidDeltaException("removes rule " + id + ", which the base does not have");
      }
    }
    delta.rules().forEach(r -> rules.put(r.id(), r));
    return new Snapshot(
        base.dataPlane(),
        "",
        delta.proxy(),
        listeners,
        List.copyOf(rules.values()),
        delta.rateLimits(),
        delta.dataPlaneRateLimits(),
        delta.rateLimitHeaders(),
        delta.redis(),
        delta.auth());
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
