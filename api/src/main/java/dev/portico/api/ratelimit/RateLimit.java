package dev.portico.api.ratelimit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portico.api.dataplane.Listener;
import dev.portico.api.route.RouteMatch;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** One limit: at most {@code requests} per {@code window} for each distinct key. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.scope == 'Global' || !has(self.failurePolicy)",
    message = "failurePolicy only applies to Global limits")
public class RateLimit {
  @JsonPropertyDescription("Limit name, unique in the policy; shows in metrics and headers.")
  @Required
  @Size(min = 1, max = 63)
  @Pattern(Listener.DNS_LABEL_PATTERN)
  public String name;

  @JsonPropertyDescription("Requests allowed per window for each key.")
  @Required
  @Min(1)
  @Max(1000000000)
  public Long requests;

  @JsonPropertyDescription("Window length.")
  @Required
  public Window window;

  @JsonPropertyDescription(
      "Requests allowed at once from a full bucket (its depth); the bucket refills at"
          + " requests per window. Defaults to requests (a full window may be spent at once).")
  @Min(0)
  @Max(1000000000)
  public Long burst;

  @JsonPropertyDescription("What is counted separately. Defaults to one counter shared by all.")
  public RateLimitKey key;

  @JsonPropertyDescription(
      "Local: a counter per data-plane replica. Global: one counter shared by all replicas"
          + " through the DataPlane's Redis.")
  @Default("Local")
  public Scope scope = Scope.Local;

  @JsonPropertyDescription(
      "For Global limits, what happens while Redis is unreachable: Open admits, Closed rejects.")
  public FailurePolicy failurePolicy;

  @JsonPropertyDescription(
      "On a DataPlane target, count each route separately instead of one counter across"
          + " every route.")
  @Default("false")
  public Boolean perRoute = false;

  @JsonPropertyDescription(
      "Count only requests that meet one of these matches (path on the normalized path, method,"
          + " headers, query parameters; all of one match must hold). Empty: every request of the"
          + " target.")
  @Size(max = 8)
  public List<RouteMatch> when;

  /** Window lengths. */
  public enum Window {
    Second,
    Minute,
    Hour,
    Day
  }

  /** Where counters live. */
  public enum Scope {
    Local,
    Global
  }

  /** Behaviour while the shared counter store is unreachable. */
  public enum FailurePolicy {
    Open,
    Closed
  }
}
