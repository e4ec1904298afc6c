package dev.portico.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The one action of a rule: exactly one field is set. A {@code backends} list that is present but
 * empty means every backend failed to resolve: the data plane answers 503 rather than let the
 * request fall through to a less specific route.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionConfig(
    List<BackendConfig> backends, RedirectConfig redirect, DirectResponseConfig directResponse) {

  public static ActionConfig proxy(List<BackendConfig> backends) {
    return new ActionConfig(List.copyOf(backends), null, null);
  }

  public static ActionConfig redirect(RedirectConfig redirect) {
    return new ActionConfig(null, redirect, null);
  }

  public static ActionConfig respond(DirectResponseConfig response) {
    return new ActionConfig(null, null, response);
  }
}
