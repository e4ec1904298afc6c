package dev.portico.compiler;

import java.util.List;

/**
 * Compiles resources into per-DataPlane snapshots and verdicts: the pure middle of the pipeline,
 * between the informers' {@link ResourceBundle} and the status writer and snapshot publisher.
 */
public final class Compiler {
  private final RouteMemo memo = new RouteMemo();
  private final VerdictBuilder verdicts = new VerdictBuilder();
  private final SnapshotAssemblyPass assembly = new SnapshotAssemblyPass();
  private final RouteDeltaCompile delta = new RouteDeltaCompile(memo, assembly, verdicts);
  private boolean lastWasDelta;

  // Route-local passes first (their results are memoized), then the passes across routes.
  private final List<CompilerPass> passes =
      List.of(
          new SpecValidationPass(),
          new AttachmentPass(),
          new BackendRefPass(),
          memo::record,
          new ConflictPass(),
          new RateLimitPolicyPass(),
          new CertificateRefPass(),
          new RedisStorePass(),
          new SecurityPass(),
          assembly);

  /**
   * Same bundle in, byte-identical result out, whatever was compiled before. Never throws on
   * invalid objects. One compile at a time per instance: it remembers route-local results of the
   * previous compile ({@link RouteMemo}) to recompile an edit among thousands of routes quickly.
   */
  /** For tests: what this compiler remembers. */
  RouteMemo memo() {
    return memo;
  }

  public synchronized CompileResult compile(ResourceBundle bundle) {
    boolean sameEnvironment = memo.begin(bundle);
    CompileResult result = delta.compile(bundle, sameEnvironment);
    lastWasDelta = result != null;
    if (result != null) {
      return result;
    }
    CompilationContext ctx = new CompilationContext(bundle, memo);
    for (CompilerPass pass : passes) {
      pass.apply(ctx);
    }
    VerdictBuilder.Verdicts v = verdicts.build(ctx);
    delta.wholeCompiled(ctx, bundle);
    return new CompileResult(ctx.snapshots, v.all(), v.changed(), v.removed());
  }

  /**
   * Whether the latest compile was a route delta ({@link RouteDeltaCompile}) rather than a whole
   * compile: for logs and tests; the result is the same either way.
   */
  public synchronized boolean lastWasDelta() {
    return lastWasDelta;
  }
}
