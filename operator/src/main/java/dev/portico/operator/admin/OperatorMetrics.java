package dev.portico.operator.admin;

import static dev.portico.api.common.Conditions.ACCEPTED;

import dev.portico.compiler.CompileResult;
import dev.portico.compiler.ConditionVerdict;
import dev.portico.compiler.ObjectKey;
import dev.portico.compiler.Verdict;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operator's own metrics: compile time and count, routes by state, status writes. JOSDK adds
 * reconcile counts and durations to the same registry.
 */
public final class OperatorMetrics {
  private final MeterRegistry registry;
  private final Timer compileTime;
  private final Timer compileCpu;
  private final Map<String, AtomicLong> routesByState = new ConcurrentHashMap<>();
  private final Map<String, Counter> statusWrites = new ConcurrentHashMap<>();
  private final AtomicLong lastCompileRoutes = new AtomicLong();
  private final Counter workloadsReconciled;
  private final Counter workloadsUnchanged;

  public OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.compileTime =
        Timer.builder("portico.operator.compile")
            .description("Time to compile every resource into snapshots and verdicts")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    this.compileCpu =
        Timer.builder("portico.operator.compile.cpu")
            .description(
                "CPU time of the compiling thread per compile: what the compile costs, whatever"
                    + " else competes for the cores (compare with portico.operator.compile)")
            .register(registry);
    for (String state : new String[] {"accepted", "rejected", "conflicted"}) {
      AtomicLong value = new AtomicLong();
      routesByState.put(state, value);
      Gauge.builder("portico.operator.routes", value, AtomicLong::get)
          .description("GatewayRoutes by their Accepted condition in the latest compile")
          .tag("state", state)
          .register(registry);
    }
    this.workloadsReconciled = workloadPasses(registry, "reconciled");
    this.workloadsUnchanged = workloadPasses(registry, "unchanged");
    Gauge.builder("portico.operator.compile.input.routes", lastCompileRoutes, AtomicLong::get)
        .description("GatewayRoutes in the latest compile's input")
        .register(registry);
  }

  private static Counter workloadPasses(MeterRegistry registry, String outcome) {
    return Counter.builder("portico.operator.workload.passes")
        .description(
            "DataPlane reconciles by what they did with the workloads: reconciled them, or found"
                + " the DataPlane and every workload unchanged since the last pass and skipped them")
        .tag("outcome", outcome)
        .register(registry);
  }

  /** Counts a DataPlane reconcile that reconciled its workloads, or found them unchanged. */
  public void workloadPass(boolean reconciled) {
    (reconciled ? workloadsReconciled : workloadsUnchanged).increment();
  }

  /** Workload passes so far with the outcome {@code reconciled} or {@code unchanged}. */
  public double workloadPasses(boolean reconciled) {
    return (reconciled ? workloadsReconciled : workloadsUnchanged).count();
  }

  public MeterRegistry registry() {
    return registry;
  }

  /**
   * Records a compile. Route counts by state are kept up to date from the verdicts that changed or
   * went away since {@code previous} (all of them for the first compile), not recounted.
   */
  public void compiled(
      long nanos, long cpuNanos, int routes, CompileResult previous, CompileResult result) {
    compileTime.record(nanos, TimeUnit.NANOSECONDS);
    if (cpuNanos >= 0) {
      compileCpu.record(cpuNanos, TimeUnit.NANOSECONDS);
    }
    lastCompileRoutes.set(routes);
    if (previous == null) {
      routesByState.values().forEach(g -> g.set(0));
      result.verdicts().forEach((key, verdict) -> count(key, verdict, 1));
      return;
    }
    for (ObjectKey key : result.removed()) {
      count(key, previous.verdict(key), -1);
    }
    for (ObjectKey key : result.changed()) {
      count(key, previous.verdict(key), -1);
      count(key, result.verdict(key), 1);
    }
  }

  private void count(ObjectKey key, Verdict verdict, int delta) {
    if (verdict == null || !key.kind().equals("GatewayRoute")) {
      return;
    }
    ConditionVerdict c = verdict.condition(ACCEPTED).orElse(null);
    String state =
        c != null && "True".equals(c.status())
            ? "accepted"
            : c != null && "Conflicted".equals(c.reason()) ? "conflicted" : "rejected";
    routesByState.get(state).addAndGet(delta);
  }

  public void statusWritten(String kind) {
    statusWrites
        .computeIfAbsent(
            kind,
            k ->
                Counter.builder("portico.operator.status.writes")
                    .description("Status patches sent to the API server")
                    .tag("kind", k)
                    .register(registry))
        .increment();
  }

  public double statusWrites(String kind) {
    Counter c = statusWrites.get(kind);
    return c == null ? 0 : c.count();
  }
}
