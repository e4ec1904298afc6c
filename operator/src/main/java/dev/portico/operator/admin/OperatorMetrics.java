package dev.portico.operator.admin;

import static dev.portico.api.common.Conditions.ACCEPTED;

import dev.portico.compiler.CompileResult;
import dev.portico.compiler.ConditionVerdict;
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
  private final Map<String, AtomicLong> routesByState = new ConcurrentHashMap<>();
  private final Map<String, Counter> statusWrites = new ConcurrentHashMap<>();
  private final AtomicLong lastCompileRoutes = new AtomicLong();

  public OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.compileTime =
        Timer.builder("portico.operator.compile")
            .description("Time to compile every resource into snapshots and verdicts")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    for (String state : new String[] {"accepted", "rejected", "conflicted"}) {
      AtomicLong value = new AtomicLong();
      routesByState.put(state, value);
      Gauge.builder("portico.operator.routes", value, AtomicLong::get)
          .description("GatewayRoutes by their Accepted condition in the latest compile")
          .tag("state", state)
          .register(registry);
    }
    Gauge.builder("portico.operator.compile.input.routes", lastCompileRoutes, AtomicLong::get)
        .description("GatewayRoutes in the latest compile's input")
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void compiled(long nanos, int routes, CompileResult result) {
    compileTime.record(nanos, TimeUnit.NANOSECONDS);
    lastCompileRoutes.set(routes);
    long accepted = 0;
    long rejected = 0;
    long conflicted = 0;
    for (var e : result.verdicts().entrySet()) {
      if (!e.getKey().kind().equals("GatewayRoute")) {
        continue;
      }
      Verdict v = e.getValue();
      ConditionVerdict c = v.condition(ACCEPTED).orElse(null);
      if (c != null && "True".equals(c.status())) {
        accepted++;
      } else if (c != null && "Conflicted".equals(c.reason())) {
        conflicted++;
      } else {
        rejected++;
      }
    }
    routesByState.get("accepted").set(accepted);
    routesByState.get("rejected").set(rejected);
    routesByState.get("conflicted").set(conflicted);
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
