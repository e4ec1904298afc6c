package dev.portico.api.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portico.api.common.Duration;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** One trusted token issuer: its keys, the algorithms it signs with, and the claims checked. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(
    value = "has(self.jwksUri) != has(self.jwksSecretRef)",
    message = "an issuer needs exactly one of jwksUri and jwksSecretRef")
@ValidationRule(
    value =
        "!has(self.algorithms) || !self.algorithms.exists(a, a.startsWith('HS')) ||"
            + " has(self.jwksSecretRef)",
    message =
        "HS256/HS384/HS512 need a shared secret, so the key must come from jwksSecretRef, not"
            + " jwksUri")
@ValidationRule(
    value =
        "!has(self.algorithms) || !self.algorithms.exists(a, a.startsWith('HS')) ||"
            + " self.algorithms.all(a, a.startsWith('HS'))",
    message =
        "HS* algorithms cannot be mixed with public-key algorithms in one issuer (key-type"
            + " confusion)")
public class JwtIssuer {
  @JsonPropertyDescription(
      "The exact value of the tokens' 'iss' claim, e.g. https://auth.example.com/.")
  @Required
  @Size(min = 1, max = 512)
  public String issuer;

  @JsonPropertyDescription(
      "Accepted audiences: the token's 'aud' (a string or an array) must contain one of them."
          + " Empty: 'aud' is not checked.")
  @Size(max = 16)
  public List<@Size(min = 1, max = 512) String> audiences = new ArrayList<>();

  @JsonPropertyDescription(
      "URL of the issuer's JWK Set (https, or http on loopback and in-cluster addresses). Each"
          + " data-plane replica fetches it, caches it, refreshes it every refreshInterval and"
          + " refetches it when a token names an unknown key id (at most once per"
          + " refetchCooldown).")
  @Size(min = 8, max = 2048)
  @Pattern("^https?://[^\\s/?#]+([/?#][^\\s]*)?$")
  public String jwksUri;

  @JsonPropertyDescription(
      "A Secret in the route's namespace (labelled portico.dev/credential) holding the JWK Set"
          + " as JSON; editing it rotates the keys without a restart. Required for HS*"
          + " algorithms (symmetric 'oct' keys).")
  public SecretKeyRef jwksSecretRef;

  @JsonPropertyDescription(
      "Signature algorithms accepted from this issuer; anything else, and 'none', is refused."
          + " Default [RS256].")
  @Size(min = 1, max = 12)
  public List<JwsAlgorithm> algorithms = new ArrayList<>();

  @JsonPropertyDescription(
      "Leeway for 'exp', 'nbf' and 'iat' against the replica's clock (0s to 5m). Default 30s.")
  @Pattern(Duration.PATTERN)
  public String clockSkew;

  @JsonPropertyDescription("How often a jwksUri is fetched again (1m to 24h). Default 5m.")
  @Pattern(Duration.PATTERN)
  public String refreshInterval;

  @JsonPropertyDescription(
      "Shortest time between two fetches of a jwksUri caused by unknown key ids (1s to 1h)."
          + " Default 30s: a flood of tokens with made-up key ids costs one fetch per cooldown.")
  @Pattern(Duration.PATTERN)
  public String refetchCooldown;

  @JsonPropertyDescription(
      "Claims copied into request headers for the backend. Incoming copies of these headers are"
          + " always removed.")
  @Size(max = 16)
  public List<ClaimHeader> claimHeaders = new ArrayList<>();

  /** The JWS algorithms Portico verifies. */
  public enum JwsAlgorithm {
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
    ES256,
    ES384,
    ES512,
    EdDSA,
    HS256,
    HS384,
    HS512
  }
}
