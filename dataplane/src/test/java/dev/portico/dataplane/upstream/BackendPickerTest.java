package dev.portico.dataplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.portico.snapshot.BackendConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendPickerTest {
  private static BackendConfig backend(String name, int weight) {
    return new BackendConfig("default/" + name, 80, "", "80", weight);
  }

  @Test
  void sharesFollowWeightsAndZeroWeightIsNeverPicked() {
    BackendPicker picker =
        BackendPicker.of(
            List.of(backend("zero-first", 0), backend("a", 1), backend("off", 0), backend("b", 3)),
            Fixtures.seeded(42));
    int picks = 100_000;
    int[] counts = new int[4];
    for (int i = 0; i < picks; i++) {
      counts[picker.pickIndex()]++;
    }

    assertThat(counts[0]).isZero();
    assertThat(counts[2]).isZero();
    assertThat(counts[1] / (double) picks).isCloseTo(0.25, within(0.01));
    assertThat(counts[3] / (double) picks).isCloseTo(0.75, within(0.01));
  }

  @Test
  void smallCanaryGetsItsShare() {
    BackendPicker picker =
        BackendPicker.of(List.of(backend("stable", 99), backend("canary", 1)), Fixtures.seeded(7));
    int canary = 0;
    for (int i = 0; i < 100_000; i++) {
      if (picker.pick().service().equals("default/canary")) {
        canary++;
      }
    }

    assertThat(canary).isBetween(800, 1200);
  }

  @Test
  void zeroWeightLastIsNeverPicked() {
    BackendPicker picker =
        BackendPicker.of(
            List.of(backend("a", 5), backend("b", 5), backend("off", 0)), Fixtures.seeded(1));
    for (int i = 0; i < 10_000; i++) {
      assertThat(picker.pickIndex()).isNotEqualTo(2);
    }
  }

  @Test
  void oneWeightedBackendIsPickedWithoutADraw() {
    BackendPicker picker =
        BackendPicker.of(
            List.of(backend("off", 0), backend("only", 2)),
            () -> {
              throw new AssertionError("no draw expected");
            });

    assertThat(picker.pick().service()).isEqualTo("default/only");
  }

  @Test
  void noWeightMeansNoBackend() {
    assertThat(BackendPicker.of(List.of(backend("a", 0), backend("b", 0))).pickIndex())
        .isEqualTo(-1);
    assertThat(BackendPicker.of(List.of()).pick()).isNull();
  }
}
