package dev.portico.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portico.api.common.Duration;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/**
 * When and how often a failed attempt is retried. Only idempotent methods are retried unless {@code
 * nonIdempotent} is set.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class RetryPolicy {
  @JsonPropertyDescription("Retries after the first attempt.")
  @Default("1")
  @Min(0)
  @Max(10)
  public Integer attempts = 1;

  @JsonPropertyDescription("Conditions that trigger a retry.")
  @Size(max = 8)
  public List<RetryOn> retryOn = new ArrayList<>(List.of(RetryOn.ConnectFailure));

  @JsonPropertyDescription("Timeout of each attempt.")
  @Size(max = 32)
  @Pattern(Duration.PATTERN)
  public String perTryTimeout;

  @JsonPropertyDescription("First backoff interval; doubles each retry, with jitter.")
  @Default("25ms")
  @Size(max = 32)
  @Pattern(Duration.PATTERN)
  public String backoffBase = "25ms";

  @JsonPropertyDescription("Upper bound of the backoff interval.")
  @Default("250ms")
  @Size(max = 32)
  @Pattern(Duration.PATTERN)
  public String backoffMax = "250ms";

  @JsonPropertyDescription(
      "Retries may be at most this percentage of active requests, so retries never multiply"
          + " load on a failing backend.")
  @Default("20")
  @Min(0)
  @Max(100)
  public Integer budgetPercent = 20;

  @JsonPropertyDescription("Also retry methods that are not idempotent, such as POST.")
  @Default("false")
  public Boolean nonIdempotent = false;

  /** Retry conditions. */
  public enum RetryOn {
    ConnectFailure,
    Reset,
    Status502,
    Status503,
    Status504
  }
}
