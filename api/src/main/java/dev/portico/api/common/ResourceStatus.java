package dev.portico.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Status fields shared by every Portico resource: what the operator last saw and decided. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class ResourceStatus {
  @JsonPropertyDescription(
      "The metadata.generation that the conditions describe. Older than metadata.generation"
          + " means the operator has not processed the latest spec yet.")
  public Long observedGeneration;

  @JsonPropertyDescription(
      "Accepted, ResolvedRefs, Programmed and the summary Ready, each with a CamelCase reason"
          + " and a message that says what to fix.")
  public List<Condition> conditions = new ArrayList<>();
}
