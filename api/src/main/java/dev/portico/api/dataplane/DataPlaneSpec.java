package dev.portico.api.dataplane;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portico.api.security.SecurityPolicy;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** Desired state of a DataPlane: its listeners, who may attach routes, and its workload. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DataPlaneSpec {
  @JsonPropertyDescription("Number of data-plane replicas the operator runs for this DataPlane.")
  @Default("2")
  @Min(0)
  @Max(100)
  public Integer replicas;

  @JsonPropertyDescription(
      "Data-plane container image. Empty means the image the operator was released with.")
  @Size(max = 512)
  public String image;

  @JsonPropertyDescription(
      "Ports the data plane accepts traffic on. Names and ports are unique within a DataPlane.")
  @Required
  @Size(min = 1, max = 16)
  @ValidationRule(
      value = "self.all(l, self.exists_one(m, m.name == l.name))",
      message = "listener names must be unique")
  @ValidationRule(
      value = "self.all(l, self.exists_one(m, m.port == l.port))",
      message = "listener ports must be unique")
  public List<Listener> listeners = new ArrayList<>();

  @JsonPropertyDescription(
      "Which namespaces may attach GatewayRoutes to this DataPlane. Defaults to the"
          + " DataPlane's own namespace.")
  public AllowedRoutes allowedRoutes;

  @JsonPropertyDescription(
      "Limits, client-address trust and default timeouts shared by every route of this DataPlane.")
  public ProxySettings proxy;

  @JsonPropertyDescription(
      "Rate-limit fields on every response of a rate-limited route. Draft: RateLimit-Policy and"
          + " RateLimit of the IETF draft draft-ietf-httpapi-ratelimit-headers-10. XRateLimit:"
          + " X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset. None: no fields"
          + " (429 answers still carry Retry-After).")
  @Default("Draft")
  public RateLimitHeaders rateLimitHeaders;

  @JsonPropertyDescription(
      "Redis that every replica shares Global rate-limit counters through. Without it, Global"
          + " limits decide by their failurePolicy.")
  public RedisStore redis;

  @JsonPropertyDescription(
      "Default security for every route attached to this DataPlane that sets none (neither"
          + " spec.security nor on the rule). Secrets it names are read from the DataPlane's"
          + " namespace. See docs/security.md.")
  public SecurityPolicy security;

  /** How a DataPlane reports rate-limit state to clients. */
  public enum RateLimitHeaders {
    Draft,
    XRateLimit,
    None
  }
}
