package dev.portico.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Who may call a rule, as the data plane checks it: the credentials accepted (any one of them
 * suffices), whether anonymous callers pass, and the access rules (deny first, then allow). Key
 * material is not here but in {@link AuthSecretConfig}s of the snapshot, named by ref, so a rotated
 * Secret changes no rule.
 *
 * @param deny a request matching any of these is refused (403)
 * @param allow when not empty, a request must match one of these
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SecurityConfig(
    JwtConfig jwt,
    ApiKeyConfig apiKey,
    BasicAuthConfig basic,
    boolean allowAnonymous,
    boolean forwardCredential,
    List<AccessRuleConfig> deny,
    List<AccessRuleConfig> allow) {

  /** The security of a rule that has none: every request passes, identity headers removed. */
  public static final SecurityConfig NONE =
      new SecurityConfig(null, null, null, false, false, List.of(), List.of());

  public SecurityConfig {
    deny = Lists.copy(deny);
    allow = Lists.copy(allow);
  }

  /** True when no credential is asked for and no rule applies. */
  @JsonIgnore
  public boolean isOpen() {
    return jwt == null && apiKey == null && basic == null && deny.isEmpty() && allow.isEmpty();
  }

  /**
   * JWT bearer tokens.
   *
   * @param header lower-case header carrying the token; {@code authorization} means with the {@code
   *     Bearer} scheme
   * @param queryParam a query parameter that may carry it instead, or null
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record JwtConfig(List<JwtIssuerConfig> issuers, String header, String queryParam) {
    public JwtConfig {
      issuers = Lists.copy(issuers);
    }
  }

  /**
   * One trusted issuer.
   *
   * @param keys ref of the {@link AuthSecretConfig} holding its JWK Set, or null with a jwksUri
   * @param algorithms accepted JWS algorithm names, e.g. RS256
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record JwtIssuerConfig(
      String issuer,
      List<String> audiences,
      String jwksUri,
      String keys,
      List<String> algorithms,
      long clockSkewMillis,
      long refreshMillis,
      long refetchCooldownMillis,
      List<ClaimHeaderConfig> claimHeaders) {
    public JwtIssuerConfig {
      audiences = Lists.copy(audiences);
      algorithms = Lists.copy(algorithms);
      claimHeaders = Lists.copy(claimHeaders);
    }
  }

  /** A claim copied into a request header (lower case). */
  public record ClaimHeaderConfig(String claim, String header) {}

  /**
   * API keys.
   *
   * @param keys refs of the {@link AuthSecretConfig}s holding the key hashes
   * @param header lower-case header carrying the key
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record ApiKeyConfig(List<String> keys, String header, String queryParam) {
    public ApiKeyConfig {
      keys = Lists.copy(keys);
    }
  }

  /**
   * HTTP Basic.
   *
   * @param users ref of the {@link AuthSecretConfig} holding the htpasswd entries
   */
  public record BasicAuthConfig(String users, String realm) {}

  /**
   * An access rule: every condition given must hold; within a list any entry suffices, except
   * claims, which must all hold.
   *
   * @param clientCidrs normalized CIDRs ({@code 10.0.0.0/8}, {@code 2001:db8::/32})
   * @param authenticated null: either; true: authenticated callers only; false: anonymous only
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record AccessRuleConfig(
      List<String> methods,
      List<String> clientCidrs,
      List<ClaimRequirementConfig> claims,
      List<String> consumers,
      List<String> groups,
      Boolean authenticated) {
    public AccessRuleConfig {
      methods = Lists.copy(methods);
      clientCidrs = Lists.copy(clientCidrs);
      claims = Lists.copy(claims);
      consumers = Lists.copy(consumers);
      groups = Lists.copy(groups);
    }
  }

  /**
   * A condition on a claim.
   *
   * @param test {@code equals}, {@code contains} (a word of a space-separated string, or an array
   *     element) or {@code includes} (an array element, or the string itself)
   */
  public record ClaimRequirementConfig(String name, String test, String value) {}
}
