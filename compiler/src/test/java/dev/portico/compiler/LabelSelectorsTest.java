package dev.portico.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorsTest {
  private static LabelSelector labels(Map<String, String> matchLabels) {
    return new LabelSelector(List.of(), matchLabels);
  }

  private static LabelSelector expr(String key, String op, String... values) {
    return new LabelSelector(
        List.of(new LabelSelectorRequirement(key, op, List.of(values))), Map.of());
  }

  @Test
  void emptySelectorMatchesEverything() {
    LabelSelector empty = new LabelSelector();
    assertThat(LabelSelectors.validate(empty)).isNull();
    assertThat(LabelSelectors.matches(empty, Map.of())).isTrue();
    assertThat(LabelSelectors.matches(empty, Map.of("a", "b"))).isTrue();
  }

  @Test
  void matchLabelsNeedsEveryLabelWithItsValue() {
    LabelSelector s = labels(Map.of("gateway", "public", "env", "prod"));
    assertThat(LabelSelectors.matches(s, Map.of("gateway", "public", "env", "prod", "x", "y")))
        .isTrue();
    assertThat(LabelSelectors.matches(s, Map.of("gateway", "public"))).isFalse();
    assertThat(LabelSelectors.matches(s, Map.of("gateway", "public", "env", "staging"))).isFalse();
    assertThat(LabelSelectors.matches(s, Map.of())).isFalse();
  }

  @Test
  void inNeedsThePresentKeyWithOneOfTheValues() {
    LabelSelector s = expr("env", "In", "prod", "staging");
    assertThat(LabelSelectors.matches(s, Map.of("env", "staging"))).isTrue();
    assertThat(LabelSelectors.matches(s, Map.of("env", "dev"))).isFalse();
    assertThat(LabelSelectors.matches(s, Map.of())).isFalse();
  }

  @Test
  void notInAlsoMatchesAnAbsentKey() {
    LabelSelector s = expr("tier", "NotIn", "restricted");
    assertThat(LabelSelectors.matches(s, Map.of("tier", "open"))).isTrue();
    assertThat(LabelSelectors.matches(s, Map.of())).isTrue();
    assertThat(LabelSelectors.matches(s, Map.of("tier", "restricted"))).isFalse();
  }

  @Test
  void existsAndDoesNotExistLookOnlyAtTheKey() {
    assertThat(LabelSelectors.matches(expr("gateway", "Exists"), Map.of("gateway", ""))).isTrue();
    assertThat(LabelSelectors.matches(expr("gateway", "Exists"), Map.of("other", "x"))).isFalse();
    assertThat(LabelSelectors.matches(expr("old", "DoesNotExist"), Map.of("other", "x"))).isTrue();
    assertThat(LabelSelectors.matches(expr("old", "DoesNotExist"), Map.of("old", ""))).isFalse();
  }

  @Test
  void labelsAndExpressionsMustAllHold() {
    LabelSelector s =
        new LabelSelector(
            List.of(
                new LabelSelectorRequirement("env", "In", List.of("prod")),
                new LabelSelectorRequirement("deprecated", "DoesNotExist", List.of())),
            Map.of("gateway", "public"));
    assertThat(LabelSelectors.matches(s, Map.of("gateway", "public", "env", "prod"))).isTrue();
    assertThat(LabelSelectors.matches(s, Map.of("env", "prod"))).isFalse();
    assertThat(
            LabelSelectors.matches(
                s, Map.of("gateway", "public", "env", "prod", "deprecated", "true")))
        .isFalse();
  }

  @Test
  void validateNamesWhatIsWrong() {
    assertThat(LabelSelectors.validate(null)).isEqualTo("selector is missing");
    assertThat(LabelSelectors.validate(labels(Map.of("a", "b")))).isNull();
    assertThat(LabelSelectors.validate(expr("env", "In", "prod"))).isNull();
    assertThat(LabelSelectors.validate(expr("env", "Exists"))).isNull();
    assertThat(LabelSelectors.validate(expr("env", "In")))
        .isEqualTo("operator In on key env needs values");
    assertThat(LabelSelectors.validate(expr("env", "NotIn")))
        .isEqualTo("operator NotIn on key env needs values");
    assertThat(LabelSelectors.validate(expr("env", "DoesNotExist", "x")))
        .isEqualTo("operator DoesNotExist on key env takes no values");
    assertThat(LabelSelectors.validate(expr("team", "Like", "shop")))
        .isEqualTo("unknown operator 'Like' on key team");
    assertThat(LabelSelectors.validate(expr("team", "in", "shop")))
        .as("operators are case-sensitive")
        .isEqualTo("unknown operator 'in' on key team");
    assertThat(LabelSelectors.validate(expr("", "Exists")))
        .isEqualTo("a matchExpressions entry has no key");
    assertThat(
            LabelSelectors.validate(
                new LabelSelector(
                    List.of(new LabelSelectorRequirement("env", null, List.of())), Map.of())))
        .isEqualTo("unknown operator 'null' on key env");
  }
}
