package dev.portico.operator.status;

import dev.portico.compiler.ConditionVerdict;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns decided conditions into API conditions, keeping each condition's lastTransitionTime unless
 * its status flips: a rewritten timestamp would be a status change every compile, and GitOps tools
 * would see a diff loop.
 */
final class ConditionMerger {
  private ConditionMerger() {}

  static List<Condition> merge(
      List<Condition> current, List<ConditionVerdict> desired, Long generation, String now) {
    List<Condition> out = new ArrayList<>(desired.size());
    for (ConditionVerdict want : desired) {
      Condition before = find(current, want.type());
      String since =
          before != null
                  && Objects.equals(before.getStatus(), want.status())
                  && before.getLastTransitionTime() != null
              ? before.getLastTransitionTime()
              : now;
      out.add(
          new ConditionBuilder()
              .withType(want.type())
              .withStatus(want.status())
              .withReason(want.reason())
              .withMessage(want.message())
              .withObservedGeneration(generation)
              .withLastTransitionTime(since)
              .build());
    }
    return out;
  }

  static Condition find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return null;
    }
    for (Condition c : conditions) {
      if (type.equals(c.getType())) {
        return c;
      }
    }
    return null;
  }
}
