package dev.portico.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portico.api.route.GatewayRoute;
import dev.portico.compiler.CompileResult;
import dev.portico.compiler.Compiler;
import dev.portico.compiler.ResourceBundle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * What the operator pays per edit: one compiler instance (which remembers its previous compile)
 * compiles the synthetic cluster again after one GatewayRoute was replaced by a new object, as an
 * informer hands over an edited route. Each invocation edits the next route in turn. Run by {@code
 * bench/incremental-compile.sh}; compare with {@link CompilerBenchmark}, a fresh compile.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 6, time = 3)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgs = {"-Xms2g", "-Xmx2g"})
public class IncrementalCompileBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Param({"1000", "5000", "10000"})
  public int routes;

  private List<GatewayRoute> current;
  private ResourceBundle base;
  private Compiler compiler;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    base = SyntheticBundle.build(routes);
    current = new ArrayList<>(base.routes());
    compiler = new Compiler();
    System.out.println();
    System.out.println(CompilerBenchmark.check(base, compiler.compile(base)));
  }

  @Benchmark
  public CompileResult compileAfterOneEdit() {
    int i = next++ % current.size();
    // A new object with the same content: the memo must treat it as changed all the same.
    current.set(i, JSON.convertValue(current.get(i), GatewayRoute.class));
    return compiler.compile(
        new ResourceBundle(
            base.dataPlanes(),
            current,
            base.rateLimitPolicies(),
            base.services(),
            base.namespaces(),
            base.referenceGrants(),
            base.tlsSecrets(),
            List.of()));
  }
}
