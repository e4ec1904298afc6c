package dev.portico.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portico.api.common.Duration;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** Timeouts of one rule. Durations like 250ms, 5s, 1m. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RuleTimeouts {
  @JsonPropertyDescription(
      "Whole request, from the first byte received to the last byte of the response,"
          + " retries included. The gateway answers 504 when it expires.")
  @Size(max = 32)
  @Pattern(Duration.PATTERN)
  public String request;

  @JsonPropertyDescription("One attempt to a backend, until its response headers arrive.")
  @Size(max = 32)
  @Pattern(Duration.PATTERN)
  public String backendRequest;

  @JsonPropertyDescription("Establishing a connection to a backend endpoint.")
  @Size(max = 32)
  @Pattern(Duration.PATTERN)
  public String connect;
}
