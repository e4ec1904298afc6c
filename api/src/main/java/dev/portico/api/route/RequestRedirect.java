package dev.portico.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portico.api.dataplane.Listener;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A redirect answered by the gateway. Unset parts keep the request's own values. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.statusCode in [301, 302, 303, 307, 308]",
    message = "statusCode must be one of 301, 302, 303, 307, 308")
public class RequestRedirect {
  @JsonPropertyDescription("Scheme of the Location: http or https.")
  public Scheme scheme;

  @JsonPropertyDescription("Host of the Location.")
  @Size(max = 253)
  @Pattern(Listener.HOSTNAME_PATTERN)
  public String hostname;

  @JsonPropertyDescription(
      "Port of the Location. Empty keeps the listener port, omitted when it is the scheme's"
          + " default.")
  @Min(1)
  @Max(65535)
  public Integer port;

  @JsonPropertyDescription("Path of the Location: full replacement or prefix replacement.")
  public PathModifier path;

  @JsonPropertyDescription("Redirect status code.")
  @Default("302")
  public Integer statusCode = 302;

  /** Redirect schemes. */
  public enum Scheme {
    http,
    https
  }
}
