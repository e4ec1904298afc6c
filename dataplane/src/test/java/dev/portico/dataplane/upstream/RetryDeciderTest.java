package dev.portico.dataplane.upstream;

import static dev.portico.dataplane.upstream.RetryDecision.ATTEMPTS_EXHAUSTED;
import static dev.portico.dataplane.upstream.RetryDecision.BUDGET_EXHAUSTED;
import static dev.portico.dataplane.upstream.RetryDecision.FAILURE_NOT_RETRIED;
import static dev.portico.dataplane.upstream.RetryDecision.RETRY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portico.snapshot.RetryConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class RetryDeciderTest {
  private static RetryConfig config(int attempts, List<String> retryOn, boolean nonIdempotent) {
    return new RetryConfig(attempts, retryOn, 500L, 25, 250, 20, nonIdempotent);
  }

  private static final RetryDecider DEFAULTISH =
      RetryDecider.of(config(2, List.of("ConnectFailure", "Status503"), false));

  @ParameterizedTest(name = "{0} {1} after {2} retries, nonIdempotent={3}: {4}")
  @CsvSource({
    "GET,     ConnectFailure, 0, false, RETRY",
    "HEAD,    Status503,      0, false, RETRY",
    "OPTIONS, ConnectFailure, 1, false, RETRY",
    "PUT,     ConnectFailure, 0, false, RETRY",
    "DELETE,  ConnectFailure, 0, false, RETRY",
    "TRACE,   ConnectFailure, 0, false, RETRY",
    "POST,    ConnectFailure, 0, false, METHOD_NOT_IDEMPOTENT",
    "PATCH,   Status503,      0, false, METHOD_NOT_IDEMPOTENT",
    "CONNECT, ConnectFailure, 0, false, METHOD_NOT_IDEMPOTENT",
    "get,     ConnectFailure, 0, false, METHOD_NOT_IDEMPOTENT",
    "POST,    ConnectFailure, 0, true,  RETRY",
    "PATCH,   Status503,      1, true,  RETRY",
    "GET,     Status502,      0, false, FAILURE_NOT_RETRIED",
    "GET,     Status504,      0, false, FAILURE_NOT_RETRIED",
    "GET,     Reset,          0, false, FAILURE_NOT_RETRIED",
    "POST,    Reset,          0, true,  FAILURE_NOT_RETRIED",
    "GET,     ConnectFailure, 2, false, ATTEMPTS_EXHAUSTED",
    "POST,    ConnectFailure, 2, true,  ATTEMPTS_EXHAUSTED",
  })
  void matrix(
      String method,
      AttemptFailure failure,
      int retriesDone,
      boolean nonIdempotent,
      RetryDecision expected) {
    RetryDecider decider =
        RetryDecider.of(config(2, List.of("ConnectFailure", "Status503"), nonIdempotent));
    RetryBudget budget = new RetryBudget();

    assertThat(decider.decide(method, failure, retriesDone, budget)).isEqualTo(expected);
    assertThat(budget.activeRetries()).isEqualTo(expected == RETRY ? 1 : 0);
  }

  @ParameterizedTest
  @EnumSource(AttemptFailure.class)
  void eachFailureIsRetriedExactlyWhenListed(AttemptFailure listed) {
    RetryDecider decider = RetryDecider.of(config(1, List.of(listed.name()), false));
    for (AttemptFailure failure : AttemptFailure.values()) {
      assertThat(decider.decide("GET", failure, 0, new RetryBudget()))
          .as("%s with retryOn [%s]", failure, listed)
          .isEqualTo(failure == listed ? RETRY : FAILURE_NOT_RETRIED);
    }
  }

  @Test
  void budgetFloorLetsLowTrafficRetryThenRunsOut() {
    RetryBudget budget = new RetryBudget();
    budget.requestStarted();

    for (int i = 0; i < 3; i++) {
      assertThat(DEFAULTISH.decide("GET", AttemptFailure.ConnectFailure, 0, budget))
          .isEqualTo(RETRY);
    }
    assertThat(DEFAULTISH.decide("GET", AttemptFailure.ConnectFailure, 0, budget))
        .isEqualTo(BUDGET_EXHAUSTED);

    budget.retryFinished();
    assertThat(DEFAULTISH.decide("GET", AttemptFailure.ConnectFailure, 0, budget)).isEqualTo(RETRY);
  }

  @Test
  void budgetScalesWithActiveRequests() {
    RetryBudget budget = new RetryBudget();
    for (int i = 0; i < 100; i++) {
      budget.requestStarted();
    }
    int granted = 0;
    while (DEFAULTISH.decide("GET", AttemptFailure.Status503, 0, budget) == RETRY) {
      granted++;
    }

    assertThat(granted).isEqualTo(20);
    assertThat(budget.activeRetries()).isEqualTo(20);
  }

  @Test
  void noPolicyNeverRetries() {
    for (AttemptFailure failure : AttemptFailure.values()) {
      assertThat(RetryDecider.of(null).decide("GET", failure, 0, new RetryBudget()))
          .isEqualTo(FAILURE_NOT_RETRIED);
    }
  }

  @Test
  void zeroAttemptsNeverRetries() {
    assertThat(
            RetryDecider.of(config(0, List.of("ConnectFailure"), false))
                .decide("GET", AttemptFailure.ConnectFailure, 0, new RetryBudget()))
        .isEqualTo(ATTEMPTS_EXHAUSTED);
  }

  @Test
  void unknownConditionsAreIgnoredNotFatal() {
    RetryDecider decider = RetryDecider.of(config(1, List.of("Status429", "Reset"), false));

    assertThat(decider.decide("GET", AttemptFailure.Reset, 0, new RetryBudget())).isEqualTo(RETRY);
  }

  @Test
  void exposesPerTryTimeoutAndBackoffFromTheRule() {
    assertThat(DEFAULTISH.perTryTimeoutMillis()).isEqualTo(500);
    assertThat(DEFAULTISH.maxRetries()).isEqualTo(2);
    assertThat(DEFAULTISH.backoff().intervalMillis(1)).isEqualTo(25);
    assertThat(DEFAULTISH.backoff().intervalMillis(5)).isEqualTo(250);
    assertThat(RetryDecider.NEVER.perTryTimeoutMillis()).isZero();
  }

  @Test
  void statusesMapToFailures() {
    assertThat(AttemptFailure.ofStatus(502)).isEqualTo(AttemptFailure.Status502);
    assertThat(AttemptFailure.ofStatus(503)).isEqualTo(AttemptFailure.Status503);
    assertThat(AttemptFailure.ofStatus(504)).isEqualTo(AttemptFailure.Status504);
    assertThat(AttemptFailure.ofStatus(500)).isNull();
    assertThat(AttemptFailure.ofStatus(200)).isNull();
  }
}
