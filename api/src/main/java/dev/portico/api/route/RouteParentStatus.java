package dev.portico.api.route;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** The status of a route on one of its parents. */
public class RouteParentStatus {
  @JsonPropertyDescription("The parent this entry describes, as written in spec.parentRefs.")
  public ParentRef parentRef;

  @JsonPropertyDescription("Accepted and ResolvedRefs on this parent.")
  public List<Condition> conditions = new ArrayList<>();
}
