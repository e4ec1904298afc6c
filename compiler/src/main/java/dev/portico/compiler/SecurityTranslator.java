package dev.portico.compiler;

import dev.portico.api.security.AccessRule;
import dev.portico.api.security.ClaimHeader;
import dev.portico.api.security.ClaimRequirement;
import dev.portico.api.security.JwtIssuer;
import dev.portico.api.security.SecurityPolicy;
import dev.portico.snapshot.SecurityConfig;
import dev.portico.snapshot.SecurityConfig.AccessRuleConfig;
import dev.portico.snapshot.SecurityConfig.ApiKeyConfig;
import dev.portico.snapshot.SecurityConfig.BasicAuthConfig;
import dev.portico.snapshot.SecurityConfig.ClaimHeaderConfig;
import dev.portico.snapshot.SecurityConfig.ClaimRequirementConfig;
import dev.portico.snapshot.SecurityConfig.JwtConfig;
import dev.portico.snapshot.SecurityConfig.JwtIssuerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Translates a validated {@code security} block into its snapshot form. Secrets become refs ({@code
 * jwks:ns/name/key}, {@code apikeys:ns/name}, {@code htpasswd:ns/name}) in the namespace of the
 * object that wrote the block; {@link SecurityPass} resolves them.
 */
final class SecurityTranslator {
  static final String DEFAULT_JWKS_KEY = "jwks.json";
  static final String DEFAULT_API_KEY_HEADER = "x-api-key";
  static final String DEFAULT_REALM = "portico";
  static final long DEFAULT_CLOCK_SKEW_MILLIS = 30_000;
  static final long DEFAULT_REFRESH_MILLIS = 300_000;
  static final long DEFAULT_COOLDOWN_MILLIS = 30_000;

  private SecurityTranslator() {}

  /** The block in force for a rule: its own, else its route's; null when neither has one. */
  static SecurityPolicy effective(RouteState route, int ruleIndex) {
    SecurityPolicy own = route.rules().get(ruleIndex).security;
    if (own != null) {
      return own;
    }
    return route.resource.getSpec() == null ? null : route.resource.getSpec().security;
  }

  static SecurityConfig translate(SecurityPolicy p, String namespace) {
    if (p == null) {
      return null;
    }
    JwtConfig jwt = null;
    if (p.jwt != null) {
      List<JwtIssuerConfig> issuers = new ArrayList<>();
      for (JwtIssuer i : p.jwt.issuers) {
        issuers.add(
            new JwtIssuerConfig(
                i.issuer,
                sorted(i.audiences),
                i.jwksUri,
                i.jwksSecretRef == null ? null : jwksRef(namespace, i),
                i.algorithms == null || i.algorithms.isEmpty()
                    ? List.of("RS256")
                    : i.algorithms.stream().map(Enum::name).distinct().sorted().toList(),
                millis(i.clockSkew, DEFAULT_CLOCK_SKEW_MILLIS),
                i.jwksUri == null ? 0 : millis(i.refreshInterval, DEFAULT_REFRESH_MILLIS),
                i.jwksUri == null ? 0 : millis(i.refetchCooldown, DEFAULT_COOLDOWN_MILLIS),
                claimHeaders(i.claimHeaders)));
      }
      jwt =
          new JwtConfig(
              issuers,
              p.jwt.header == null ? "authorization" : p.jwt.header.toLowerCase(Locale.ROOT),
              p.jwt.queryParam);
    }
    ApiKeyConfig apiKey = null;
    if (p.apiKey != null) {
      apiKey =
          new ApiKeyConfig(
              p.apiKey.secretRefs.stream()
                  .map(r -> apiKeysRef(namespace, r.name))
                  .distinct()
                  .toList(),
              p.apiKey.header == null
                  ? DEFAULT_API_KEY_HEADER
                  : p.apiKey.header.toLowerCase(Locale.ROOT),
              p.apiKey.queryParam);
    }
    BasicAuthConfig basic = null;
    if (p.basic != null) {
      basic =
          new BasicAuthConfig(
              htpasswdRef(namespace, p.basic.secretRef.name),
              p.basic.realm == null ? DEFAULT_REALM : p.basic.realm);
    }
    List<AccessRuleConfig> deny = List.of();
    List<AccessRuleConfig> allow = List.of();
    if (p.authorization != null) {
      deny = rules(p.authorization.deny);
      allow = rules(p.authorization.allow);
    }
    return new SecurityConfig(
        jwt,
        apiKey,
        basic,
        Boolean.TRUE.equals(p.allowAnonymous),
        Boolean.TRUE.equals(p.forwardCredential),
        deny,
        allow);
  }

  /** Every Secret ref a translated block names, in order. */
  static List<String> refs(SecurityConfig s) {
    List<String> refs = new ArrayList<>();
    if (s == null) {
      return refs;
    }
    if (s.jwt() != null) {
      s.jwt().issuers().stream()
          .map(JwtIssuerConfig::keys)
          .filter(k -> k != null)
          .forEach(refs::add);
    }
    if (s.apiKey() != null) {
      refs.addAll(s.apiKey().keys());
    }
    if (s.basic() != null) {
      refs.add(s.basic().users());
    }
    return refs;
  }

  static String jwksRef(String namespace, JwtIssuer i) {
    String key = i.jwksSecretRef.key == null ? DEFAULT_JWKS_KEY : i.jwksSecretRef.key;
    return "jwks:" + namespace + "/" + i.jwksSecretRef.name + "/" + key;
  }

  static String apiKeysRef(String namespace, String name) {
    return "apikeys:" + namespace + "/" + name;
  }

  static String htpasswdRef(String namespace, String name) {
    return "htpasswd:" + namespace + "/" + name;
  }

  private static List<ClaimHeaderConfig> claimHeaders(List<ClaimHeader> headers) {
    if (headers == null) {
      return List.of();
    }
    return headers.stream()
        .map(h -> new ClaimHeaderConfig(h.claim, h.header.toLowerCase(Locale.ROOT)))
        .toList();
  }

  private static List<AccessRuleConfig> rules(List<AccessRule> rules) {
    if (rules == null) {
      return List.of();
    }
    List<AccessRuleConfig> out = new ArrayList<>();
    for (AccessRule r : rules) {
      List<ClaimRequirementConfig> claims = new ArrayList<>();
      if (r.claims != null) {
        for (ClaimRequirement c : r.claims) {
          claims.add(
              c.equals != null
                  ? new ClaimRequirementConfig(c.name, "equals", c.equals)
                  : c.contains != null
                      ? new ClaimRequirementConfig(c.name, "contains", c.contains)
                      : new ClaimRequirementConfig(c.name, "includes", c.includes));
        }
      }
      out.add(
          new AccessRuleConfig(
              sorted(r.methods),
              r.clientCIDRs == null
                  ? List.of()
                  : r.clientCIDRs.stream().map(Cidr::normalize).distinct().sorted().toList(),
              claims,
              sorted(r.consumers),
              sorted(r.groups),
              r.authenticated));
    }
    return out;
  }

  private static List<String> sorted(List<String> values) {
    return values == null ? List.of() : List.copyOf(new TreeSet<>(values));
  }

  private static long millis(String duration, long fallback) {
    return duration == null ? fallback : Durations.toMillis(duration);
  }
}
