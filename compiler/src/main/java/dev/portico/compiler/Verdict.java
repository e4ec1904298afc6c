package dev.portico.compiler;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * What the compiler decided about one object.
 *
 * @param generation metadata.generation of the object the verdict describes
 * @param conditions Accepted and ResolvedRefs (Programmed and Ready come from the operator)
 * @param parents for GatewayRoutes, one entry per parentRef in spec order
 * @param dataPlanes {@code namespace/name} of the DataPlanes whose snapshots carry this object
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Verdict(
    Long generation,
    List<ConditionVerdict> conditions,
    List<ParentVerdict> parents,
    List<String> dataPlanes) {

  public Verdict {
    conditions = List.copyOf(conditions);
    parents = List.copyOf(parents);
    dataPlanes = List.copyOf(dataPlanes);
  }

  public Optional<ConditionVerdict> condition(String type) {
    return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
  }

  public boolean isTrue(String type) {
    return condition(type).map(c -> "True".equals(c.status())).orElse(false);
  }
}
