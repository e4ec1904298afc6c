package dev.portico.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * The one action of a rule: exactly one field is set. A {@code backends} list that is present but
 * empty means every backend failed to resolve: the data plane answers 503 rather than let the
 * request fall through to a less specific route.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionConfig(
    List<BackendConfig> backends,
    RedirectConfig redirect,
    DirectResponseConfig directResponse,
    ComposeConfig compose) {

  public static ActionConfig proxy(List<BackendConfig> backends) {
    return new ActionConfig(List.copyOf(backends), null, null, null);
  }

  public static ActionConfig redirect(RedirectConfig redirect) {
    return new ActionConfig(null, redirect, null, null);
  }

  public static ActionConfig respond(DirectResponseConfig response) {
    return new ActionConfig(null, null, response, null);
  }

  public static ActionConfig compose(ComposeConfig compose) {
    return new ActionConfig(null, null, null, compose);
  }

  /**
   * Every Service port this action sends requests to: the backends, or the resolved backends of the
   * composition's parts. What discovery watches.
   */
  @JsonIgnore
  public List<BackendConfig> upstreams() {
    if (backends != null) {
      return backends;
    }
    if (compose == null) {
      return List.of();
    }
    List<BackendConfig> out = new ArrayList<>();
    for (ComposePartConfig part : compose.parts()) {
      if (part.backend() != null) {
        out.add(part.backend());
      }
    }
    return out;
  }
}
