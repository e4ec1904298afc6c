package dev.portico.compiler;

import dev.portico.api.route.ParentRef;
import java.util.List;

/** A route's conditions on one of its parentRefs. */
public record ParentVerdict(ParentRef parentRef, List<ConditionVerdict> conditions) {
  public ParentVerdict {
    conditions = List.copyOf(conditions);
  }
}
