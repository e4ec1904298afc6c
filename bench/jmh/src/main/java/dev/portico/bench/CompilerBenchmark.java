package dev.portico.bench;

import dev.portico.api.common.Conditions;
import dev.portico.api.ratelimit.RateLimitPolicy;
import dev.portico.api.route.GatewayRoute;
import dev.portico.compiler.CompileResult;
import dev.portico.compiler.Compiler;
import dev.portico.compiler.ObjectKey;
import dev.portico.compiler.ResourceBundle;
import dev.portico.compiler.Verdict;
import dev.portico.snapshot.RuleConfig;
import dev.portico.snapshot.Snapshot;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time and allocation of one full {@link Compiler#compile} (every pass, verdicts and snapshot
 * hashing) over a synthetic cluster of 100, 1,000 and 10,000 GatewayRoutes. Run by {@code
 * bench/compiler.sh}; the target is 10,000 routes in under 1 s on one core, growing linearly.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 8, time = 4)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgs = {"-Xms2g", "-Xmx2g"})
public class CompilerBenchmark {
  /** Fewer accepted routes than this means the bundle, not the compiler, is being measured. */
  static final double MIN_ACCEPTED = 0.95;

  @Param({"100", "1000", "10000"})
  public int routes;

  private ResourceBundle bundle;

  @Setup(Level.Trial)
  public void setUp() {
    bundle = SyntheticBundle.build(routes);
    System.out.println();
    System.out.println(check(bundle, new Compiler().compile(bundle)));
  }

  /**
   * The compile itself. The two thread-CPU-time reads (well under a microsecond each) let the
   * summary report CPU per compile, which, unlike wall time, does not grow when other processes
   * share the core.
   */
  @Benchmark
  public CompileResult compile(CpuTime cpu) {
    long start = CpuTime.THREADS.getCurrentThreadCpuTime();
    CompileResult result = new Compiler().compile(bundle);
    cpu.cpuNanos += CpuTime.THREADS.getCurrentThreadCpuTime() - start;
    cpu.compiles++;
    return result;
  }

  /**
   * CPU time of the benchmark thread (GC and JIT threads excluded), as JMH secondary results {@code
   * cpuNanos} and {@code compiles}; their ratio is CPU time per compile.
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class CpuTime {
    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public long cpuNanos;
    public long compiles;

    @Setup(Level.Iteration)
    public void reset() {
      cpuNanos = 0;
      compiles = 0;
    }
  }

  /**
   * Fails unless the bundle compiles the way a healthy cluster would: both snapshots built, nearly
   * every route accepted with all backends resolved, every policy attached, and only the deliberate
   * conflicts lost. Returns a one-line description of the bundle.
   */
  static String check(ResourceBundle bundle, CompileResult result) {
    int total = bundle.routes().size();
    int accepted = 0;
    int resolved = 0;
    int conflicted = 0;
    int totalRules = 0;
    for (GatewayRoute route : bundle.routes()) {
      Verdict v = result.verdict(ObjectKey.of(GatewayRoute.KIND, route));
      totalRules += route.getSpec().rules.size();
      if (v == null) {
        continue;
      }
      accepted += v.isTrue(Conditions.ACCEPTED) ? 1 : 0;
      resolved += v.isTrue(Conditions.RESOLVED_REFS) ? 1 : 0;
      conflicted +=
          v.condition(Conditions.ACCEPTED)
                  .filter(c -> Conditions.Reasons.CONFLICTED.equals(c.reason()))
                  .isPresent()
              ? 1
              : 0;
    }
    int expectedConflicts = 0;
    for (int i = 0; i < total; i++) {
      expectedConflicts += SyntheticBundle.conflicting(i) ? 1 : 0;
    }
    long policiesAccepted =
        bundle.rateLimitPolicies().stream()
            .map(p -> result.verdict(ObjectKey.of(RateLimitPolicy.KIND, p)))
            .filter(v -> v != null && v.isTrue(Conditions.ACCEPTED))
            .count();
    Set<String> programmedRules = new HashSet<>();
    int entries = 0;
    int vhosts = 0;
    for (Snapshot snapshot : result.snapshots().values()) {
      snapshot.rules().stream().map(RuleConfig::id).forEach(programmedRules::add);
      for (var listener : snapshot.listeners()) {
        vhosts += listener.virtualHosts().size();
        for (var vhost : listener.virtualHosts()) {
          entries += vhost.routes().size();
        }
      }
    }
    String summary =
        String.format(
            "bundle: %d routes (%d rules), %d services, %d policies -> %d snapshots, %d virtual"
                + " hosts, %d route entries, %d rules programmed; routes Accepted=True %d"
                + " (%.1f%%), Conflicted %d, ResolvedRefs=True %d",
            total,
            totalRules,
            bundle.services().size(),
            bundle.rateLimitPolicies().size(),
            result.snapshots().size(),
            vhosts,
            entries,
            programmedRules.size(),
            accepted,
            100.0 * accepted / total,
            conflicted,
            resolved);
    boolean healthy =
        result.snapshots().size() == bundle.dataPlanes().size()
            && accepted >= MIN_ACCEPTED * total
            && accepted + conflicted == total
            && conflicted == expectedConflicts
            && resolved == total
            && policiesAccepted == bundle.rateLimitPolicies().size()
            && programmedRules.size() >= MIN_ACCEPTED * totalRules;
    if (!healthy) {
      throw new IllegalStateException(
          "synthetic bundle does not compile as intended, refusing to benchmark it: "
              + summary
              + "; policies accepted "
              + policiesAccepted
              + "/"
              + bundle.rateLimitPolicies().size()
              + "; first rejected: "
              + firstRejected(result.verdicts()));
    }
    return summary;
  }

  private static String firstRejected(Map<ObjectKey, Verdict> verdicts) {
    return verdicts.entrySet().stream()
        .filter(e -> !e.getValue().isTrue(Conditions.ACCEPTED))
        .filter(
            e ->
                e.getValue()
                    .condition(Conditions.ACCEPTED)
                    .map(c -> !Conditions.Reasons.CONFLICTED.equals(c.reason()))
                    .orElse(true))
        .findFirst()
        .map(e -> e.getKey() + " " + e.getValue().conditions())
        .orElse("none");
  }
}
