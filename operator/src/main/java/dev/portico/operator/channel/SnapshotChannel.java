package dev.portico.operator.channel;

import dev.portico.operator.publish.SnapshotPublisher;
import dev.portico.snapshot.Snapshot;
import dev.portico.snapshot.SnapshotCodec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The operator side of snapshot distribution: keeps the latest encoded snapshot of every DataPlane
 * for the streams to send, and the connected replicas with their last answer, which is what {@code
 * Programmed} reports. Transport-free: {@link ChannelServer} moves the bytes.
 */
public final class SnapshotChannel implements SnapshotPublisher {
  /** One snapshot version ready to send: a JSON line {@code {"version":..,"snapshot":..}}. */
  public record Frame(String version, byte[] bytes) {}

  private final Map<String, Frame> latest = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Connection>> replicas = new ConcurrentHashMap<>();
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  private final Object published = new Object();

  /** A replica's open stream (a replica may briefly hold two while it reconnects). */
  private static final class Connection {
    int streams;
    ReplicaAck ack;
  }

  /** Called with a DataPlane id whenever what its replicas run may have changed. */
  public void onProgrammedChange(Consumer<String> listener) {
    listeners.add(listener);
  }

  @Override
  public void publish(Map<String, Snapshot> snapshots) {
    boolean changed = false;
    for (var e : snapshots.entrySet()) {
      Frame current = latest.get(e.getKey());
      if (current == null || !current.version().equals(e.getValue().version())) {
        latest.put(e.getKey(), frame(e.getValue()));
        changed = true;
      }
    }
    // A DataPlane that no longer compiles keeps nothing to send; its replicas keep what they run.
    changed |= latest.keySet().retainAll(snapshots.keySet());
    if (changed) {
      synchronized (published) {
        published.notifyAll();
      }
    }
  }

  public Optional<Frame> latest(String dataPlane) {
    return Optional.ofNullable(latest.get(dataPlane));
  }

  /**
   * Blocks a stream thread until the DataPlane has a version other than {@code sent}, or the
   * timeout passes (the caller then sends a heartbeat).
   */
  public Optional<Frame> awaitOther(String dataPlane, String sent, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    synchronized (published) {
      while (true) {
        Frame f = latest.get(dataPlane);
        if (f != null && !f.version().equals(sent)) {
          return Optional.of(f);
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return Optional.empty();
        }
        published.wait(left);
      }
    }
  }

  public void connected(String dataPlane, String replica) {
    synchronized (replicas) {
      replicas
          .computeIfAbsent(dataPlane, k -> new TreeMap<>())
          .computeIfAbsent(replica, r -> new Connection())
          .streams++;
    }
    fire(dataPlane);
  }

  public void disconnected(String dataPlane, String replica) {
    synchronized (replicas) {
      Map<String, Connection> byReplica = replicas.get(dataPlane);
      Connection c = byReplica == null ? null : byReplica.get(replica);
      if (c != null && --c.streams <= 0) {
        byReplica.remove(replica);
      }
    }
    fire(dataPlane);
  }

  public void acknowledged(String dataPlane, ReplicaAck ack) {
    synchronized (replicas) {
      Connection c = replicas.getOrDefault(dataPlane, Map.of()).get(ack.replica());
      if (c == null) {
        return; // only connected replicas count
      }
      c.ack = ack;
    }
    fire(dataPlane);
  }

  /** Each connected replica's last answer (null when it has not answered yet), by name. */
  public SortedMap<String, ReplicaAck> replicas(String dataPlane) {
    SortedMap<String, ReplicaAck> out = new TreeMap<>();
    synchronized (replicas) {
      replicas.getOrDefault(dataPlane, Map.of()).forEach((name, c) -> out.put(name, c.ack));
    }
    return out;
  }

  /** The version every connected replica has applied, if they all run the same one. */
  @Override
  public Optional<String> programmedVersion(String dataPlane) {
    SortedMap<String, ReplicaAck> acks = replicas(dataPlane);
    String agreed = null;
    for (ReplicaAck ack : acks.values()) {
      if (ack == null || !ack.applied() || (agreed != null && !agreed.equals(ack.version()))) {
        return Optional.empty();
      }
      agreed = ack.version();
    }
    return Optional.ofNullable(agreed);
  }

  @Override
  public String pending(String dataPlane, String wanted) {
    SortedMap<String, ReplicaAck> acks = replicas(dataPlane);
    if (acks.isEmpty()) {
      return "no data-plane replica of " + dataPlane + " is connected to the operator";
    }
    List<String> waiting = new ArrayList<>();
    for (var e : acks.entrySet()) {
      ReplicaAck ack = e.getValue();
      if (ack != null && !ack.applied() && wanted.equals(ack.version())) {
        return "replica "
            + e.getKey()
            + " of "
            + dataPlane
            + " refused snapshot "
            + wanted
            + ": "
            + ack.reason();
      }
      if (ack == null || !wanted.equals(ack.version())) {
        waiting.add(e.getKey());
      }
    }
    return "waiting for "
        + waiting.size()
        + " of "
        + acks.size()
        + " replicas of "
        + dataPlane
        + " to apply snapshot "
        + wanted
        + " ("
        + String.join(", ", waiting)
        + ")";
  }

  private void fire(String dataPlane) {
    for (Consumer<String> listener : listeners) {
      listener.accept(dataPlane);
    }
  }

  private static Frame frame(Snapshot snapshot) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        ("{\"version\":\"" + snapshot.version() + "\",\"snapshot\":")
            .getBytes(StandardCharsets.UTF_8));
    out.writeBytes(SnapshotCodec.encode(snapshot));
    out.writeBytes("}\n".getBytes(StandardCharsets.UTF_8));
    return new Frame(snapshot.version(), out.toByteArray());
  }
}
