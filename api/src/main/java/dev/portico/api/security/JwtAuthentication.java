package dev.portico.api.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portico.api.route.HeaderMatch;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** JWT bearer-token authentication: the issuers trusted and where the token is read from. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class JwtAuthentication {
  @JsonPropertyDescription(
      "Issuers whose tokens are accepted. A token is checked against the issuer its 'iss' claim"
          + " names; issuers are unique.")
  @Required
  @Size(min = 1, max = 8)
  @ValidationRule(
      value = "self.all(i, self.exists_one(j, j.issuer == i.issuer))",
      message = "issuers must be unique")
  public List<JwtIssuer> issuers = new ArrayList<>();

  @JsonPropertyDescription(
      "Header carrying the token. Default Authorization, with the 'Bearer ' scheme; any other"
          + " header carries the bare token.")
  @Size(min = 1, max = 256)
  @Pattern(HeaderMatch.HEADER_NAME_PATTERN)
  public String header;

  @JsonPropertyDescription(
      "Query parameter that may carry the token instead (e.g. for WebSocket clients). Removed"
          + " before proxying unless forwardCredential is true. Tokens in URLs end up in browser"
          + " histories and other proxies' logs: prefer the header.")
  @Size(min = 1, max = 128)
  @Pattern("^[A-Za-z0-9._~-]+$")
  public String queryParam;
}
