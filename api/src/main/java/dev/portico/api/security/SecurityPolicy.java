package dev.portico.api.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Who may call a rule: the credentials accepted, whether anonymous callers pass, and access rules.
 * Set on a rule, on a route (every rule without its own) or on a DataPlane (every route without its
 * own); the most specific block wins whole, nothing is merged.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!(has(self.forwardCredential) && self.forwardCredential) || has(self.jwt) ||"
            + " has(self.apiKey) || has(self.basic)",
    message = "forwardCredential needs an authentication method (jwt, apiKey or basic)")
@ValidationRule(
    value =
        "!(has(self.allowAnonymous) && self.allowAnonymous) || has(self.jwt) || has(self.apiKey)"
            + " || has(self.basic)",
    message =
        "allowAnonymous needs an authentication method (jwt, apiKey or basic); without one every"
            + " caller is anonymous already")
public class SecurityPolicy {
  @JsonPropertyDescription(
      "Accept JWT bearer tokens signed by these issuers. Token from 'Authorization: Bearer'"
          + " unless header or queryParam say otherwise.")
  public JwtAuthentication jwt;

  @JsonPropertyDescription(
      "Accept API keys kept in Secrets of the route's namespace, each mapped to a consumer and"
          + " groups.")
  public ApiKeyAuthentication apiKey;

  @JsonPropertyDescription(
      "Accept HTTP Basic credentials checked against an htpasswd Secret (bcrypt only); meant"
          + " for internal tools.")
  public BasicAuthentication basic;

  @JsonPropertyDescription(
      "Let requests without any credential through (without identity headers); access rules"
          + " still apply. A credential that is present but invalid is refused all the same."
          + " Default false.")
  public Boolean allowAnonymous;

  @JsonPropertyDescription(
      "Send the credential (Authorization header, API-key header or query parameter) on to the"
          + " backend. Default false: the gateway removes it once checked.")
  public Boolean forwardCredential;

  @JsonPropertyDescription(
      "Access rules evaluated after authentication: any matching deny rule refuses (403); when"
          + " allow rules are given, one of them must match.")
  public Authorization authorization;
}
