package dev.portico.api.route;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A query parameter condition on the first occurrence of the parameter. Names are exact. */
public class QueryParamMatch {
  @JsonPropertyDescription("Exact value, or a RegularExpression matched against the whole value.")
  @Default("Exact")
  public StringMatchType type = StringMatchType.Exact;

  @JsonPropertyDescription("Query parameter name, compared case-sensitively.")
  @Required
  @Size(min = 1, max = 256)
  public String name;

  @JsonPropertyDescription("Value or regular expression.")
  @Required
  @Size(max = 4096)
  public String value;
}
