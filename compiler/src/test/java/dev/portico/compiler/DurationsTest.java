package dev.portico.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @Test
  void addsEveryPart() {
    assertThat(Durations.toMillis("1h2m3s4ms")).isEqualTo(3_723_004L);
    assertThat(Durations.toMillis("1m30s")).isEqualTo(90_000L);
    assertThat(Durations.toMillis("4ms3s2m1h")).as("any order").isEqualTo(3_723_004L);
    assertThat(Durations.toMillis("1h1h1h1h")).as("four parts at most").isEqualTo(14_400_000L);
  }

  @Test
  void singleUnits() {
    assertThat(Durations.toMillis("250ms")).isEqualTo(250L);
    assertThat(Durations.toMillis("5s")).isEqualTo(5_000L);
    assertThat(Durations.toMillis("2m")).isEqualTo(120_000L);
    assertThat(Durations.toMillis("3h")).isEqualTo(10_800_000L);
    assertThat(Durations.toMillis("0s")).isZero();
    assertThat(Durations.toMillis("99999h")).isEqualTo(99_999L * 3_600_000L);
  }

  @Test
  void nullMeansUnset() {
    assertThat(Durations.toMillis(null)).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "5",
        "ms",
        "5sec",
        "1.5s",
        "-1s",
        "1d",
        "1S",
        " 1s",
        "1s ",
        "123456s",
        "1h1h1h1h1h",
        "1m 30s"
      })
  void rejectsWhatIsNotADuration(String text) {
    assertThatThrownBy(() -> Durations.toMillis(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "' is not a duration");
  }
}
