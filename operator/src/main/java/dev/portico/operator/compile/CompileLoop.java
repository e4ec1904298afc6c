package dev.portico.operator.compile;

import dev.portico.compiler.CompileResult;
import dev.portico.compiler.Compiler;
import dev.portico.compiler.ObjectKey;
import dev.portico.compiler.ResourceBundle;
import dev.portico.compiler.Verdict;
import dev.portico.operator.admin.OperatorMetrics;
import dev.portico.operator.publish.SnapshotPublisher;
import dev.portico.snapshot.Snapshot;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The middle of the operator's pipeline: copies the informer caches into a bundle, compiles it,
 * publishes the snapshots, keeps the result for the reconcilers, and tells them which objects'
 * verdicts changed so that only those get a status pass.
 */
public final class CompileLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CompileLoop.class);
  private static final String DATA_PLANE = "DataPlane";

  private final Supplier<ResourceBundle> bundles;
  private final Compiler compiler = new Compiler();
  private final SnapshotPublisher publisher;
  private final OperatorMetrics metrics;
  private final AtomicReference<CompileResult> latest = new AtomicReference<>();
  private final List<Consumer<Set<ObjectKey>>> listeners = new CopyOnWriteArrayList<>();
  private final ProgramTracker tracker;
  private final Map<String, Long> lastProgrammed = new ConcurrentHashMap<>();

  /** How long a held status pass waits for the replicas' answer before it runs anyway. */
  public static final Duration ACK_HOLD = Duration.ofSeconds(1);

  /** Held status passes, by key, with the compile that held them. */
  private final Map<ObjectKey, Long> held = new ConcurrentHashMap<>();

  private long holdRound;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "portico-status-hold");
            t.setDaemon(true);
            return t;
          });

  public CompileLoop(
      Supplier<ResourceBundle> bundles, SnapshotPublisher publisher, OperatorMetrics metrics) {
    this.bundles = bundles;
    this.publisher = publisher;
    this.metrics = metrics;
    this.tracker = new ProgramTracker(publisher);
  }

  public ProgramTracker tracker() {
    return tracker;
  }

  /** Called with the keys whose verdict changed, plus every DataPlane, after each compile. */
  public void onResult(Consumer<Set<ObjectKey>> listener) {
    listeners.add(listener);
  }

  /** The latest compile result; empty until the first compile after the caches synced. */
  public Optional<CompileResult> latest() {
    return Optional.ofNullable(latest.get());
  }

  public SnapshotPublisher publisher() {
    return publisher;
  }

  /** Runs one compile on the caller's thread; one at a time, so listeners see results in order. */
  public synchronized void compileNow() {
    ResourceBundle bundle = bundles.get();
    long start = System.nanoTime();
    long cpuStart = cpuNanos();
    CompileResult result = compiler.compile(bundle);
    long nanos = System.nanoTime() - start;
    long cpu = cpuStart < 0 ? -1 : cpuNanos() - cpuStart;
    boolean delta = compiler.lastWasDelta();
    CompileResult previous = latest.get();
    Set<ObjectKey> changed = changedKeys(result);
    // The tracker learns the new versions before any replica can be sent (and ack) them, and so do
    // the status holds and the latest result, which an ack's status pass reads.
    tracker.compiled(result, changed);
    Set<ObjectKey> now = holdForAcks(previous, result, changed);
    latest.set(result);
    publisher.publish(result.snapshots());
    metrics.compiled(nanos, cpu, bundle.routes().size(), previous, result);
    LOG.info(
        "compiled {} routes in {} ms ({} ms CPU, {}): {} verdicts changed, {} held for the acks",
        bundle.routes().size(),
        nanos / 1_000_000,
        cpu / 1_000_000,
        delta ? "route delta" : "whole",
        changed.size(),
        changed.size() - now.size());
    notifyListeners(now);
  }

  /**
   * Holds the status pass of the changed objects whose every DataPlane gets a new version that a
   * connected replica will answer: the pass then runs once, when the answer comes ({@link
   * #programmedChanged}), and writes Accepted and Programmed together, instead of once now
   * (Programmed pending) and again then. After {@link #ACK_HOLD} without an answer it runs anyway.
   * Returns the keys whose pass runs now.
   */
  private Set<ObjectKey> holdForAcks(
      CompileResult previous, CompileResult result, Set<ObjectKey> changed) {
    Set<String> answering = new TreeSet<>();
    for (var e : result.snapshots().entrySet()) {
      String dp = e.getKey();
      Snapshot before = previous == null ? null : previous.snapshots().get(dp);
      if ((before == null || !before.version().equals(e.getValue().version()))
          && !publisher.replicas(dp).isEmpty()) {
        answering.add(dp);
      }
    }
    if (answering.isEmpty()) {
      return changed;
    }
    Set<ObjectKey> now = new TreeSet<>();
    Set<ObjectKey> later = new TreeSet<>();
    for (ObjectKey key : changed) {
      Verdict verdict = result.verdict(key);
      List<String> dataPlanes = verdict == null ? List.of() : verdict.dataPlanes();
      (!dataPlanes.isEmpty() && answering.containsAll(dataPlanes) ? later : now).add(key);
    }
    if (!later.isEmpty()) {
      Long token = ++holdRound;
      later.forEach(key -> held.put(key, token));
      timer.schedule(() -> release(later, token), ACK_HOLD.toMillis(), TimeUnit.MILLISECONDS);
    }
    return now;
  }

  /** Runs the held status passes that no answer has run yet. */
  private void release(Set<ObjectKey> keys, Long token) {
    Set<ObjectKey> due = new TreeSet<>();
    for (ObjectKey key : keys) {
      if (held.remove(key, token)) {
        due.add(key);
      }
    }
    if (!due.isEmpty()) {
      notifyListeners(due);
    }
  }

  /**
   * Whether the object's status pass waits for its DataPlanes' replicas to answer the snapshot that
   * has its change: a pass now would write what the answer makes stale at once.
   */
  public boolean held(ObjectKey key) {
    return held.containsKey(key);
  }

  private void notifyListeners(Set<ObjectKey> keys) {
    for (Consumer<Set<ObjectKey>> listener : listeners) {
      listener.accept(keys);
    }
  }

  /** Stops the timer of held status passes. */
  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** The calling thread's CPU time, or -1 where the JVM cannot tell. */
  private static long cpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
  }

  /**
   * Called when what a DataPlane's replicas run may have changed (a connect, an ack, a refusal, a
   * drop): triggers a status pass for the DataPlane and for the objects whose Programmed may flip,
   * those changed since the older of the previous and the new programmed version.
   */
  public void programmedChanged(String dataPlane) {
    long now = tracker.programmedIndex(dataPlane).orElse(-1L);
    Long before = lastProgrammed.put(dataPlane, now);
    // Unchanged index (a refusal, a replica joining): only the still-pending objects, whose
    // message may change, and the DataPlane itself.
    notifyDataPlane(dataPlane, before == null ? -1 : Math.min(before, now));
  }

  /** Every object of the DataPlane gets a status pass (when a settling period ends). */
  public void recheck(String dataPlane) {
    notifyDataPlane(dataPlane, -1);
  }

  private void notifyDataPlane(String dataPlane, long since) {
    CompileResult result = latest.get();
    if (result == null) {
      return;
    }
    Set<ObjectKey> affected = new TreeSet<>();
    for (var e : result.verdicts().entrySet()) {
      ObjectKey key = e.getKey();
      if (key.kind().equals("DataPlane") && key.namespacedName().equals(dataPlane)) {
        affected.add(key);
      } else if (e.getValue().dataPlanes().contains(dataPlane)
          && (since < 0 || tracker.changedAt(key, dataPlane) > since)) {
        affected.add(key);
      }
    }
    affected.forEach(held::remove);
    notifyListeners(affected);
  }

  /**
   * The keys whose verdict changed since the previous compile (the compiler tracks them: one
   * compiler, one compile at a time), plus every DataPlane, whose status also shows what its
   * replicas run.
   */
  static Set<ObjectKey> changedKeys(CompileResult current) {
    Set<ObjectKey> changed = new TreeSet<>(current.changed());
    for (ObjectKey key : current.verdicts().keySet()) {
      if (!key.kind().equals(DATA_PLANE)) {
        break; // sorted by kind first: the DataPlanes come first
      }
      changed.add(key);
    }
    return changed;
  }
}
