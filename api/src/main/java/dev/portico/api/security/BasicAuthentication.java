package dev.portico.api.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portico.api.dataplane.SecretRef;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** HTTP Basic authentication against an htpasswd file kept in a Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BasicAuthentication {
  @JsonPropertyDescription(
      "Secret in the route's namespace, labelled portico.dev/credential, whose key 'htpasswd'"
          + " holds 'user:hash' lines with bcrypt hashes ($2a$, $2b$ or $2y$; htpasswd -B)."
          + " Other hash kinds are refused.")
  @Required
  public SecretRef secretRef;

  @JsonPropertyDescription("Realm named in the WWW-Authenticate challenge. Default portico.")
  @Size(min = 1, max = 64)
  @Pattern("^[ !#-\\[\\]-~]+$")
  public String realm;
}
