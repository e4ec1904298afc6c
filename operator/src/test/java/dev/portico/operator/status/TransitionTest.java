package dev.portico.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which condition changes become Events: news, not every rollout of a new snapshot version. */
class TransitionTest {
  private static Condition c(String type, String status, String reason) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(type + " " + status)
        .build();
  }

  private static List<Condition> healthy() {
    return List.of(
        c("Accepted", "True", "Accepted"),
        c("ResolvedRefs", "True", "ResolvedRefs"),
        c("Programmed", "True", "Programmed"),
        c("Ready", "True", "Ready"));
  }

  private static List<Condition> rollingOut() {
    return List.of(
        c("Accepted", "True", "Accepted"),
        c("ResolvedRefs", "True", "ResolvedRefs"),
        c("Programmed", "False", "Pending"),
        c("Ready", "False", "NotReady"));
  }

  @Test
  void aRolloutThereAndBackIsNoNews() {
    assertThat(Transition.between(healthy(), rollingOut())).isEmpty();
    assertThat(Transition.between(rollingOut(), healthy())).isEmpty();
    assertThat(Transition.between(List.of(), rollingOut())).isEmpty(); // a new route
  }

  @Test
  void aRealProblemIsNewsAndSoIsItsRecovery() {
    List<Condition> refused =
        List.of(
            c("Accepted", "False", "Conflicted"),
            c("ResolvedRefs", "True", "ResolvedRefs"),
            c("Programmed", "False", "Pending"),
            c("Ready", "False", "NotReady"));
    assertThat(Transition.between(healthy(), refused))
        .extracting(Transition::type)
        .containsExactly("Accepted", "Programmed", "Ready");
    assertThat(Transition.between(refused, healthy()))
        .extracting(Transition::type)
        .containsExactly("Ready");
  }

  @Test
  void programmedFalseForAnotherReasonIsNews() {
    List<Condition> unprogrammed =
        List.of(
            c("Accepted", "True", "Accepted"),
            c("ResolvedRefs", "True", "ResolvedRefs"),
            c("Programmed", "False", "SnapshotRefused"),
            c("Ready", "False", "NotReady"));
    assertThat(Transition.between(healthy(), unprogrammed))
        .extracting(Transition::type)
        .containsExactly("Programmed", "Ready");
  }
}
