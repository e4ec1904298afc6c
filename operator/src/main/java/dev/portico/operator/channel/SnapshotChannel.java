package dev.portico.operator.channel;

import dev.portico.operator.publish.ReplicaState;
import dev.portico.operator.publish.SnapshotPublisher;
import dev.portico.snapshot.Snapshot;
import dev.portico.snapshot.SnapshotCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The operator side of snapshot distribution: keeps the latest snapshot of every DataPlane and a
 * few before it for the streams to send, whole or as a delta from what a replica has, and the
 * connected replicas with their last answer, which is what {@code Programmed} reports.
 * Transport-free: {@link ChannelServer} moves the bytes.
 */
public final class SnapshotChannel implements SnapshotPublisher {
  /** Versions a delta can start from: replicas are rarely more than one or two behind. */
  static final int HISTORY = 4;

  /** One snapshot version ready to send: a JSON line, whole or a delta. */
  public record Frame(String version, byte[] bytes) {}

  /**
   * The latest snapshot of a DataPlane with the few before it, and its wire forms, encoded on first
   * use by a stream (never on the compile thread: replicas that take deltas never need the whole
   * 1.7 MB form of a 5,000-route snapshot) and then shared by every stream.
   */
  private static final class Published {
    final Snapshot snapshot;
    final Map<String, Snapshot> earlier;
    private byte[] whole;
    private final Map<String, byte[]> deltas = new ConcurrentHashMap<>();

    Published(Snapshot snapshot, Published previous) {
      this.snapshot = snapshot;
      Map<String, Snapshot> bases = new LinkedHashMap<>();
      if (previous != null) {
        bases.putAll(previous.earlier);
        bases.remove(previous.snapshot.version());
        bases.put(previous.snapshot.version(), previous.snapshot);
      }
      bases.remove(snapshot.version());
      while (bases.size() > HISTORY) {
        bases.remove(bases.keySet().iterator().next());
      }
      this.earlier = Collections.unmodifiableMap(bases); // keeps age order for the next eviction
    }

    synchronized Frame whole() {
      if (whole == null) {
        whole = SnapshotCodec.encodeFrame(snapshot);
      }
      return new Frame(snapshot.version(), whole);
    }

    /** A delta from {@code base}, or the whole snapshot when base is not one of the earlier. */
    Frame from(String base) {
      Snapshot before = earlier.get(base);
      if (before == null) {
        return whole();
      }
      byte[] bytes =
          deltas.computeIfAbsent(base, b -> SnapshotCodec.encodeDeltaFrame(before, snapshot));
      return new Frame(snapshot.version(), bytes);
    }
  }

  private final Map<String, Published> latest = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Connection>> replicas = new ConcurrentHashMap<>();
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> settledListeners = new CopyOnWriteArrayList<>();
  private final Object published = new Object();
  private volatile long settleUntilNanos = System.nanoTime(); // not settling until asked
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "portico-channel-settle");
            t.setDaemon(true);
            return t;
          });

  /**
   * A replica's open stream (a replica may briefly hold two while it reconnects), the version it
   * runs, and its last refusal: a refused version does not change what the replica serves.
   */
  private static final class Connection {
    int streams;
    String running;
    ReplicaAck refusal;
  }

  /**
   * Starts the settling period (on start, and on becoming leader): until it ends, objects keep the
   * Programmed condition they carry instead of turning False while replicas reconnect; then every
   * DataPlane gets a status pass.
   */
  public void beginSettling(Duration period) {
    settleUntilNanos = System.nanoTime() + period.toNanos();
    timer.schedule(
        () -> latest.keySet().forEach(dp -> settledListeners.forEach(l -> l.accept(dp))),
        period.toMillis() + 10,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public boolean reconnecting(String dataPlane) {
    return System.nanoTime() - settleUntilNanos < 0 && replicas(dataPlane).isEmpty();
  }

  /** Called with each DataPlane id when the settling period ends: every object needs a look. */
  public void onSettled(Consumer<String> listener) {
    settledListeners.add(listener);
  }

  /** Called with a DataPlane id whenever what its replicas run may have changed. */
  public void onProgrammedChange(Consumer<String> listener) {
    listeners.add(listener);
  }

  @Override
  public void publish(Map<String, Snapshot> snapshots) {
    boolean changed = false;
    for (var e : snapshots.entrySet()) {
      Published current = latest.get(e.getKey());
      if (current == null || !current.snapshot.version().equals(e.getValue().version())) {
        latest.put(e.getKey(), new Published(e.getValue(), current));
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

  /** The latest snapshot of a DataPlane as a whole frame. */
  public Optional<Frame> latest(String dataPlane) {
    return Optional.ofNullable(latest.get(dataPlane)).map(Published::whole);
  }

  /**
   * Blocks a stream thread until the DataPlane has a version other than {@code sent}, or the
   * timeout passes (the caller then sends a heartbeat). The frame is a delta from {@code sent} when
   * the replica takes deltas and {@code sent} is recent enough, else the whole snapshot.
   */
  public Optional<Frame> awaitOther(
      String dataPlane, String sent, boolean deltas, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    Published p;
    synchronized (published) {
      p = latest.get(dataPlane);
      while (p == null || p.snapshot.version().equals(sent)) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return Optional.empty();
        }
        published.wait(left);
        p = latest.get(dataPlane);
      }
    }
    // Encoded outside the lock: other streams wait for their own frames, not for this one.
    return Optional.of(deltas ? p.from(sent) : p.whole());
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
      if (ack.applied()) {
        c.running = ack.version();
        c.refusal = null;
      } else {
        c.refusal = ack;
      }
    }
    fire(dataPlane);
  }

  /** Each connected replica's state, by name. */
  @Override
  public SortedMap<String, ReplicaState> replicas(String dataPlane) {
    SortedMap<String, ReplicaState> out = new TreeMap<>();
    synchronized (replicas) {
      replicas
          .getOrDefault(dataPlane, Map.of())
          .forEach(
              (name, c) ->
                  out.put(
                      name,
                      c.refusal == null
                          ? new ReplicaState(c.running, null, null)
                          : new ReplicaState(c.running, c.refusal.version(), c.refusal.reason())));
    }
    return out;
  }

  /** The version every connected replica runs, if they all run the same one. */
  @Override
  public Optional<String> programmedVersion(String dataPlane) {
    String agreed = null;
    for (ReplicaState replica : replicas(dataPlane).values()) {
      if (replica.running() == null || (agreed != null && !agreed.equals(replica.running()))) {
        return Optional.empty();
      }
      agreed = replica.running();
    }
    return Optional.ofNullable(agreed);
  }

  @Override
  public String pending(String dataPlane, String wanted) {
    SortedMap<String, ReplicaState> states = replicas(dataPlane);
    if (states.isEmpty()) {
      return "no data-plane replica of " + dataPlane + " is connected to the operator";
    }
    List<String> waiting = new ArrayList<>();
    for (var e : states.entrySet()) {
      ReplicaState state = e.getValue();
      if (wanted.equals(state.refusedVersion())) {
        return "replica "
            + e.getKey()
            + " of "
            + dataPlane
            + " refused snapshot "
            + wanted
            + ": "
            + state.refusedReason();
      }
      if (!wanted.equals(e.getValue().running())) {
        waiting.add(e.getKey());
      }
    }
    return "waiting for "
        + waiting.size()
        + " of "
        + states.size()
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
}
