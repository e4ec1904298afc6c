package dev.portico.operator.status;

import static dev.portico.api.common.Conditions.FALSE;
import static dev.portico.api.common.Conditions.PROGRAMMED;
import static dev.portico.api.common.Conditions.READY;
import static dev.portico.api.common.Conditions.TRUE;

import dev.portico.api.common.Conditions.Reasons;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A condition whose status flipped in a status write: what the operator reports as an Event. */
public record Transition(String type, String from, String to, String reason, String message) {
  /**
   * Events go out for Ready both ways and for Accepted / ResolvedRefs / Programmed turning False; a
   * new object's first conditions count only when False (a healthy first status is not news, and at
   * 5,000 routes one Event each would double the operator's writes). A rollout in flight is not
   * news either: Programmed False because replicas have not yet acknowledged the new version
   * (reason Pending), with every other gate True, and Ready following it there and back. Otherwise
   * every edit would put two or three Warning and Normal Events on the route and its DataPlane.
   */
  public static List<Transition> between(List<Condition> before, List<Condition> after) {
    boolean rolloutBefore = inRollout(before);
    boolean rolloutAfter = inRollout(after);
    List<Transition> out = new ArrayList<>();
    for (Condition now : after) {
      Condition was = ConditionMerger.find(before, now.getType());
      String from = was == null ? null : was.getStatus();
      if (Objects.equals(from, now.getStatus()) || (from == null && TRUE.equals(now.getStatus()))) {
        continue;
      }
      boolean ready = READY.equals(now.getType());
      boolean toFalse = FALSE.equals(now.getStatus());
      boolean rolloutNews =
          (toFalse && rolloutAfter && (ready || PROGRAMMED.equals(now.getType())))
              || (!toFalse && ready && rolloutBefore);
      if (!rolloutNews && (ready || toFalse)) {
        out.add(
            new Transition(
                now.getType(), from, now.getStatus(), now.getReason(), now.getMessage()));
      }
    }
    return out;
  }

  /**
   * Only waiting for replicas to acknowledge: Programmed False (Pending), every other gate True.
   */
  private static boolean inRollout(List<Condition> conditions) {
    boolean pending = false;
    for (Condition c : conditions) {
      if (PROGRAMMED.equals(c.getType())) {
        pending = FALSE.equals(c.getStatus()) && Reasons.PENDING.equals(c.getReason());
      } else if (!READY.equals(c.getType()) && !TRUE.equals(c.getStatus())) {
        return false;
      }
    }
    return pending;
  }

  public boolean warning() {
    return FALSE.equals(to);
  }
}
