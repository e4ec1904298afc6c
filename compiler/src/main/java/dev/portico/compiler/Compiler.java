package dev.portico.compiler;

import java.util.List;

/**
 * Compiles resources into per-DataPlane snapshots and verdicts: the pure middle of the pipeline,
 * between the informers' {@link ResourceBundle} and the status writer and snapshot publisher.
 */
public final class Compiler {
  private final List<CompilerPass> passes =
      List.of(
          new SpecValidationPass(),
          new AttachmentPass(),
          new ConflictPass(),
          new BackendRefPass(),
          new RateLimitPolicyPass(),
          new SnapshotAssemblyPass());

  /** Same bundle in, byte-identical result out. Never throws on invalid objects. */
  public CompileResult compile(ResourceBundle bundle) {
    CompilationContext ctx = new CompilationContext(bundle);
    for (CompilerPass pass : passes) {
      pass.apply(ctx);
    }
    return new CompileResult(ctx.snapshots, VerdictBuilder.build(ctx));
  }
}
