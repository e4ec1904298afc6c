package dev.portico.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.compiler.ConditionVerdict;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionMergerTest {
  private static final ConditionVerdict ACCEPTED =
      new ConditionVerdict("Accepted", "True", "Accepted", "ok");

  @Test
  void keepsTheTransitionTimeWhileTheStatusStaysTheSame() {
    List<Condition> first = ConditionMerger.merge(List.of(), List.of(ACCEPTED), 1L, "T1");
    List<Condition> second =
        ConditionMerger.merge(
            first,
            List.of(new ConditionVerdict("Accepted", "True", "Accepted", "new msg")),
            2L,
            "T2");
    assertThat(second.get(0).getLastTransitionTime()).isEqualTo("T1");
    assertThat(second.get(0).getMessage()).isEqualTo("new msg");
    assertThat(second.get(0).getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void movesTheTransitionTimeWhenTheStatusFlips() {
    List<Condition> first = ConditionMerger.merge(List.of(), List.of(ACCEPTED), 1L, "T1");
    List<Condition> second =
        ConditionMerger.merge(
            first, List.of(new ConditionVerdict("Accepted", "False", "Invalid", "bad")), 2L, "T2");
    assertThat(second.get(0).getLastTransitionTime()).isEqualTo("T2");
    assertThat(Transition.between(first, second))
        .containsExactly(new Transition("Accepted", "True", "False", "Invalid", "bad"));
  }

  @Test
  void aNewObjectsHealthyConditionsAreNoNewsButItsFailuresAre() {
    List<Condition> first =
        ConditionMerger.merge(
            List.of(),
            List.of(
                ACCEPTED, new ConditionVerdict("ResolvedRefs", "False", "BackendNotFound", "x")),
            1L,
            "T1");
    assertThat(Transition.between(List.of(), first))
        .extracting(Transition::type)
        .containsExactly("ResolvedRefs");
  }

  @Test
  void onlyReadyFlipsAndFailuresBecomeEvents() {
    List<Condition> before =
        ConditionMerger.merge(
            List.of(),
            List.of(
                new ConditionVerdict("Accepted", "False", "Invalid", "bad"),
                new ConditionVerdict("Ready", "False", "NotReady", "not yet")),
            1L,
            "T1");
    List<Condition> after =
        ConditionMerger.merge(
            before,
            List.of(ACCEPTED, new ConditionVerdict("Ready", "True", "Ready", "fine")),
            2L,
            "T2");
    assertThat(Transition.between(before, after))
        .extracting(Transition::type)
        .containsExactly("Ready");
  }
}
