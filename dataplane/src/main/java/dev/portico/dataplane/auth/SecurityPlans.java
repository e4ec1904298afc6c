package dev.portico.dataplane.auth;

import com.nimbusds.jose.jwk.JWKSet;
import dev.portico.snapshot.AuthConfig;
import dev.portico.snapshot.AuthSecretConfig;
import dev.portico.snapshot.RuleConfig;
import dev.portico.snapshot.SecurityConfig;
import dev.portico.snapshot.SecurityConfig.JwtIssuerConfig;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prepares the security plan of every rule of a snapshot: the rule's own security, else the
 * DataPlane's default; none for rules whose security is open. Material the snapshot lacks (a Secret
 * that did not resolve) leaves its method without keys: nothing passes with it.
 */
public final class SecurityPlans {
  private SecurityPlans() {}

  /** Plans by rule id; rules without one need no check. */
  public static Map<String, SecurityPlan> prepare(
      List<RuleConfig> rules, AuthConfig auth, AuthServices services) {
    Map<String, AuthSecretConfig> material = new HashMap<>();
    if (auth != null) {
      auth.secrets().forEach(s -> material.put(s.ref(), s));
    }
    SecurityConfig defaults = auth == null ? null : auth.defaults();
    Map<String, RemoteJwks> remote = new HashMap<>();
    Map<String, KeySet> keySets = new HashMap<>();
    // Rules of one route usually share one block: one plan for all of them.
    Map<SecurityConfig, SecurityPlan> built = new IdentityHashMap<>();
    Map<SecurityConfig, SecurityPlan> byValue = new HashMap<>();
    Map<String, SecurityPlan> plans = new HashMap<>();
    for (RuleConfig rule : rules) {
      SecurityConfig security = rule.security() != null ? rule.security() : defaults;
      if (security == null || security.isOpen()) {
        continue;
      }
      SecurityPlan plan = built.get(security);
      if (plan == null) {
        plan = byValue.get(security);
      }
      if (plan == null) {
        plan = plan(security, material, keySets, remote, services);
        byValue.put(security, plan);
      }
      built.put(security, plan);
      plans.put(rule.id(), plan);
    }
    services.retain(remote);
    return plans;
  }

  private static SecurityPlan plan(
      SecurityConfig s,
      Map<String, AuthSecretConfig> material,
      Map<String, KeySet> keySets,
      Map<String, RemoteJwks> remote,
      AuthServices services) {
    JwtAuthenticator jwt = null;
    if (s.jwt() != null) {
      List<JwtAuthenticator.Issuer> issuers = new ArrayList<>();
      for (JwtIssuerConfig i : s.jwt().issuers()) {
        JwksSource source;
        if (i.jwksUri() != null) {
          source =
              services.remote(i.jwksUri(), i.refreshMillis(), i.refetchCooldownMillis(), remote);
        } else {
          source =
              JwksSource.fixed(keySets.computeIfAbsent(i.keys(), ref -> keys(material.get(ref))));
        }
        issuers.add(JwtAuthenticator.issuer(i, source));
      }
      jwt = new JwtAuthenticator(issuers, services.clock());
    }
    ApiKeyAuthenticator apiKeys = null;
    if (s.apiKey() != null) {
      List<AuthSecretConfig.ApiKeyEntry> entries = new ArrayList<>();
      for (String ref : s.apiKey().keys()) {
        AuthSecretConfig m = material.get(ref);
        if (m != null) {
          entries.addAll(m.apiKeys());
        }
      }
      apiKeys = new ApiKeyAuthenticator(entries);
    }
    BasicAuthenticator basic = null;
    if (s.basic() != null) {
      AuthSecretConfig m = material.get(s.basic().users());
      basic = new BasicAuthenticator(m == null ? List.of() : m.users(), services);
    }
    return new SecurityPlan(s, jwt, apiKeys, basic);
  }

  private static KeySet keys(AuthSecretConfig material) {
    if (material == null || material.jwks() == null) {
      return KeySet.EMPTY;
    }
    try {
      return KeySet.of(JWKSet.parse(material.jwks()).getKeys(), true);
    } catch (ParseException e) {
      return KeySet.EMPTY; // the compiler parsed it: only a hand-made snapshot gets here
    }
  }
}
