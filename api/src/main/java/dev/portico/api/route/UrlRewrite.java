package dev.portico.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portico.api.dataplane.Listener;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Rewrites applied to the request before it is proxied. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.hostname) || has(self.path)",
    message = "urlRewrite needs a hostname or a path")
public class UrlRewrite {
  @JsonPropertyDescription("Replaces the Host header sent to the backend.")
  @Size(max = 253)
  @Pattern(Listener.HOSTNAME_PATTERN)
  public String hostname;

  @JsonPropertyDescription("Replaces the whole path or the matched prefix.")
  public PathModifier path;
}
