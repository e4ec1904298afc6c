package dev.portico.compiler;

/** One step of compilation; passes run in a fixed order over one shared context. */
interface CompilerPass {
  void apply(CompilationContext ctx);
}
