package dev.portico.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Retry policy of a rule.
 *
 * @param retryOn sorted condition names: ConnectFailure, Reset, Status502, Status503, Status504
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RetryConfig(
    int attempts,
    List<String> retryOn,
    Long perTryTimeoutMillis,
    long backoffBaseMillis,
    long backoffMaxMillis,
    int budgetPercent,
    boolean nonIdempotent) {

  public RetryConfig {
    retryOn = Lists.copy(retryOn);
  }
}
