package dev.portico.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portico.api.common.ResourceStatus;
import java.util.ArrayList;
import java.util.List;

/** Observed state of a route: summary conditions plus one entry per parent it names. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class GatewayRouteStatus extends ResourceStatus {
  @JsonPropertyDescription("Per-parent status: whether each named DataPlane accepted the route.")
  public List<RouteParentStatus> parents = new ArrayList<>();
}
