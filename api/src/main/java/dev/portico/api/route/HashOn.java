package dev.portico.api.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The request attribute a consistent-hash balancer keys on; exactly one is set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.header) ? 1 : 0) + (has(self.cookie) ? 1 : 0) + (has(self.clientAddress) &&"
            + " self.clientAddress ? 1 : 0) == 1",
    message = "set exactly one of header, cookie or clientAddress: true")
public class HashOn {
  @JsonPropertyDescription("Hash on this request header's value.")
  @Size(max = 256)
  @Pattern(HeaderMatch.HEADER_NAME_PATTERN)
  public String header;

  @JsonPropertyDescription("Hash on this cookie's value.")
  @Size(max = 256)
  @Pattern("^[!#$%&'*+\\-.^_`|~0-9A-Za-z]+$")
  public String cookie;

  @JsonPropertyDescription("Hash on the client address (after trusted proxy hops).")
  public Boolean clientAddress;
}
