package dev.portico.operator.reconcile;

import dev.portico.compiler.ObjectKey;
import dev.portico.operator.compile.CompileLoop;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;

/**
 * Triggers a reconcile of every object of one kind whose verdict changed in a compile: the link
 * from the compile loop back into JOSDK's event processing. Objects whose verdict did not change
 * are not touched, so a recompile of 5,000 routes for one edit costs one status pass.
 */
final class CompiledEventSource {
  private CompiledEventSource() {}

  static <P extends HasMetadata> SimpleInboundEventSource<P> forKind(
      CompileLoop loop, String kind) {
    SimpleInboundEventSource<P> source = new SimpleInboundEventSource<>("compiled-" + kind);
    loop.onResult(
        keys -> {
          for (ObjectKey key : keys) {
            if (key.kind().equals(kind)) {
              source.propagateEvent(new ResourceID(key.name(), key.namespace()));
            }
          }
        });
    return source;
  }
}
