/**
 * The compiler: a pure function from resources ({@link dev.portico.compiler.ResourceBundle}) to
 * per-DataPlane snapshots and a status verdict for every object ({@link
 * dev.portico.compiler.CompileResult}). No client, no I/O, no clock: equal inputs give
 * byte-identical output. Compilation is an ordered list of small passes over a {@link
 * dev.portico.compiler.CompilationContext}.
 */
package dev.portico.compiler;
