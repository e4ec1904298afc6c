package dev.portico.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A fixed response answered by the gateway, e.g. for maintenance pages or health stubs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DirectResponse {
  @JsonPropertyDescription("Response status code.")
  @Required
  @Min(200)
  @Max(599)
  public Integer statusCode;

  @JsonPropertyDescription("Response body, at most 4 KiB.")
  @Size(max = 4096)
  public String body;

  @JsonPropertyDescription("Content-Type of the body.")
  @Default("text/plain; charset=utf-8")
  @Size(max = 256)
  @Pattern("^[!#$%&'*+\\-.^_`|~0-9A-Za-z]+/[!#$%&'*+\\-.^_`|~0-9A-Za-z]+( *;[ -~]*)?$")
  public String contentType = "text/plain; charset=utf-8";
}
