package dev.portico.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A condition whose status flipped in a status write: what the operator reports as an Event. */
public record Transition(String type, String from, String to, String reason, String message) {
  /**
   * Events go out for Ready both ways and for Accepted / ResolvedRefs turning False; a new object's
   * first conditions count only when False (a healthy first status is not news, and at 5,000 routes
   * one Event each would double the operator's writes).
   */
  public static List<Transition> between(List<Condition> before, List<Condition> after) {
    List<Transition> out = new ArrayList<>();
    for (Condition now : after) {
      Condition was = ConditionMerger.find(before, now.getType());
      String from = was == null ? null : was.getStatus();
      if (Objects.equals(from, now.getStatus())
          || (from == null && "True".equals(now.getStatus()))) {
        continue;
      }
      boolean ready = "Ready".equals(now.getType());
      if (ready || "False".equals(now.getStatus())) {
        out.add(
            new Transition(
                now.getType(), from, now.getStatus(), now.getReason(), now.getMessage()));
      }
    }
    return out;
  }

  public boolean warning() {
    return "False".equals(to);
  }
}
