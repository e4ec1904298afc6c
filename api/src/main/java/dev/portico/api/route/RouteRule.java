package dev.portico.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portico.api.dataplane.Listener;
import dev.portico.api.security.SecurityPolicy;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** One rule: requests it matches, edits it makes, and exactly one action. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(
    value =
        "(has(self.backends) && size(self.backends) > 0 ? 1 : 0) + (has(self.compose) ? 1 : 0) +"
            + " (has(self.filters) && self.filters.exists(f, f.type == 'RequestRedirect' ||"
            + " f.type == 'DirectResponse') ? 1 : 0) == 1",
    message =
        "a rule needs exactly one action: backends, compose, a RequestRedirect filter or a"
            + " DirectResponse filter")
@ValidationRule(
    value =
        "!has(self.filters) || size(self.filters.filter(f, f.type == 'RequestRedirect' || f.type"
            + " == 'DirectResponse')) <= 1",
    message = "a rule may have at most one RequestRedirect or DirectResponse filter")
@ValidationRule(
    value =
        "!has(self.backends) || size(self.backends) == 0 || self.backends.exists(b, b.weight > 0)",
    message = "at least one backend needs a weight above zero")
@ValidationRule(
    value = "!has(self.filters) || self.filters.filter(f, f.type == 'URLRewrite').size() <= 1",
    message = "a rule may have at most one URLRewrite filter")
@ValidationRule(
    value = "!has(self.filters) || self.filters.filter(f, f.type == 'CORS').size() <= 1",
    message = "a rule may have at most one CORS filter")
@ValidationRule(
    value =
        "!has(self.filters) || !self.filters.exists(f, f.type == 'URLRewrite') ||"
            + " !self.filters.exists(f, f.type == 'RequestRedirect')",
    message = "URLRewrite and RequestRedirect cannot be combined in one rule")
@ValidationRule(
    value =
        "!has(self.compose) || !has(self.filters) || !self.filters.exists(f, f.type =="
            + " 'URLRewrite')",
    message = "URLRewrite cannot be combined with compose: each part names its own path")
public class RouteRule {
  @JsonPropertyDescription(
      "Optional rule name, unique in the route; RateLimitPolicies may target it.")
  @Size(max = 63)
  @Pattern(Listener.DNS_LABEL_PATTERN)
  public String name;

  @JsonPropertyDescription(
      "Requests this rule handles; any one match suffices. Empty means every request (path"
          + " prefix '/').")
  @Size(max = 16)
  public List<RouteMatch> matches = new ArrayList<>();

  @JsonPropertyDescription("Request and response edits, applied in order.")
  @Size(max = 16)
  public List<RouteFilter> filters = new ArrayList<>();

  @JsonPropertyDescription(
      "Services that receive matching requests, chosen by weight. Leave empty when a filter"
          + " answers (RequestRedirect or DirectResponse) or with compose.")
  @Size(max = 16)
  public List<BackendRef> backends = new ArrayList<>();

  @JsonPropertyDescription(
      "Call several backends and answer one JSON document merged from their responses, instead"
          + " of proxying to backends. See docs/composition.md.")
  public Compose compose;

  @JsonPropertyDescription(
      "Timeouts for requests matched by this rule (with compose: for each part request).")
  public RuleTimeouts timeouts;

  @JsonPropertyDescription("Retry policy for requests matched by this rule.")
  public RetryPolicy retry;

  @JsonPropertyDescription("How requests are spread over the endpoints of a backend.")
  public LoadBalancerPolicy loadBalancer;

  @JsonPropertyDescription(
      "Who may call this rule (authentication and access rules). Replaces the route's"
          + " spec.security and the DataPlane's spec.security for this rule; see"
          + " docs/security.md.")
  public SecurityPolicy security;
}
