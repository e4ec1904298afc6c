package dev.portico.dataplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void intervalDoublesFromBaseUpToMax() {
    Backoff backoff = new Backoff(25, 250);

    assertThat(backoff.intervalMillis(1)).isEqualTo(25);
    assertThat(backoff.intervalMillis(2)).isEqualTo(50);
    assertThat(backoff.intervalMillis(3)).isEqualTo(100);
    assertThat(backoff.intervalMillis(4)).isEqualTo(200);
    assertThat(backoff.intervalMillis(5)).isEqualTo(250);
    assertThat(backoff.intervalMillis(64)).isEqualTo(250);
    assertThat(backoff.intervalMillis(Integer.MAX_VALUE)).isEqualTo(250);
  }

  @Test
  void delaysFillTheWholeIntervalAndNeverLeaveIt() {
    Backoff backoff = new Backoff(25, 250, Fixtures.seeded(99));
    for (int retry = 1; retry <= 6; retry++) {
      long interval = backoff.intervalMillis(retry);
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      double sum = 0;
      int draws = 20_000;
      for (int i = 0; i < draws; i++) {
        long d = backoff.delayMillis(retry);
        min = Math.min(min, d);
        max = Math.max(max, d);
        sum += d;
      }
      assertThat(min).as("retry %d", retry).isZero();
      assertThat(max).as("retry %d", retry).isEqualTo(interval);
      assertThat(sum / draws)
          .as("retry %d", retry)
          .isCloseTo(interval / 2.0, within(interval * 0.03));
    }
  }

  @Test
  void maxBelowBaseCapsEverything() {
    Backoff backoff = new Backoff(100, 40, Fixtures.seeded(1));

    assertThat(backoff.intervalMillis(1)).isEqualTo(40);
    for (int i = 0; i < 1000; i++) {
      assertThat(backoff.delayMillis(3)).isBetween(0L, 40L);
    }
  }

  @Test
  void zeroBaseMeansNoWait() {
    assertThat(Backoff.NONE.delayMillis(3)).isZero();
    assertThat(new Backoff(0, 100).delayMillis(1)).isZero();
  }

  @Test
  void retriesCountFromOne() {
    assertThatThrownBy(() -> new Backoff(25, 250).delayMillis(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(-1, 250)).isInstanceOf(IllegalArgumentException.class);
  }
}
