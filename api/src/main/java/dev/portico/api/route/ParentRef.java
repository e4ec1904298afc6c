package dev.portico.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portico.api.dataplane.Listener;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** A DataPlane (and optionally one of its listeners) a route attaches to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ParentRef {
  @JsonPropertyDescription("Name of the DataPlane.")
  @Required
  @Size(min = 1, max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  public String name;

  @JsonPropertyDescription("Namespace of the DataPlane. Defaults to the route's namespace.")
  @Size(max = 63)
  @Pattern(Listener.DNS_LABEL_PATTERN)
  public String namespace;

  @JsonPropertyDescription("Attach only to this listener. Empty means every listener.")
  @Size(max = 63)
  @Pattern(Listener.DNS_LABEL_PATTERN)
  public String listenerName;

  public ParentRef() {}

  public ParentRef(String name, String namespace, String listenerName) {
    this.name = name;
    this.namespace = namespace;
    this.listenerName = listenerName;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParentRef p
        && Objects.equals(name, p.name)
        && Objects.equals(namespace, p.namespace)
        && Objects.equals(listenerName, p.listenerName);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, namespace, listenerName);
  }
}
