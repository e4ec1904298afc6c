package dev.portico.api.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portico.api.dataplane.SecretRef;
import dev.portico.api.route.HeaderMatch;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** API-key authentication: keys kept in labelled Secrets, each naming a consumer. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class ApiKeyAuthentication {
  @JsonPropertyDescription(
      "Secrets in the route's namespace, labelled portico.dev/credential. Each data key is a"
          + " consumer name and its value the consumer's key (several keys separated by"
          + " newlines, for rotation); '<consumer>.groups' holds the consumer's groups, comma"
          + " separated. See docs/security.md.")
  @Required
  @Size(min = 1, max = 16)
  public List<SecretRef> secretRefs = new ArrayList<>();

  @JsonPropertyDescription("Header carrying the key. Default X-API-Key.")
  @Size(min = 1, max = 256)
  @Pattern(HeaderMatch.HEADER_NAME_PATTERN)
  public String header;

  @JsonPropertyDescription(
      "Query parameter that may carry the key instead of the header. Removed before proxying"
          + " unless forwardCredential is true; never written to the access log.")
  @Size(min = 1, max = 128)
  @Pattern("^[A-Za-z0-9._~-]+$")
  public String queryParam;
}
