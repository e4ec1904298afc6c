package dev.portico.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portico.api.dataplane.Listener;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The Service port one part of a composition calls; resolved like a rule's backends. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PartBackend {
  @JsonPropertyDescription("Name of the Service.")
  @Required
  @Size(min = 1, max = 63)
  @Pattern(Listener.DNS_LABEL_PATTERN)
  public String name;

  @JsonPropertyDescription(
      "Namespace of the Service. Defaults to the route's namespace; another namespace needs a"
          + " ReferenceGrant there.")
  @Size(max = 63)
  @Pattern(Listener.DNS_LABEL_PATTERN)
  public String namespace;

  @JsonPropertyDescription("Service port number (spec.ports[].port, not the target port).")
  @Required
  @Min(1)
  @Max(65535)
  public Integer port;
}
