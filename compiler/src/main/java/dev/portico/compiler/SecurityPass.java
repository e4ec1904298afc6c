package dev.portico.compiler;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import dev.portico.api.common.Conditions.Reasons;
import dev.portico.api.security.SecurityPolicy;
import dev.portico.snapshot.SecurityConfig;
import dev.portico.snapshot.SecurityConfig.JwtIssuerConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves the Secrets that security blocks name (a rule's or its route's from the route's
 * namespace, a DataPlane's default from the DataPlane's namespace) into key material for the
 * snapshots. A Secret that is missing, unlabelled or malformed is a {@code ResolvedRefs=False}
 * problem ({@value Reasons#INVALID_AUTH_SECRET_REF}) on the object that names it; its rules stay
 * protected, since without material no credential passes. Runs on every compile, outside the route
 * memo: a Secret edit changes no route object.
 *
 * <p>Parsing is kept across compiles while a Secret's values stay the same.
 */
final class SecurityPass implements CompilerPass {
  private record Cached(CredentialSecret secret, AuthSecretParser.Result result) {}

  private Map<String, Cached> cache = new HashMap<>();

  @Override
  public void apply(CompilationContext ctx) {
    Map<String, Cached> next = new HashMap<>();
    for (DataPlaneState dp : ctx.dataPlanes.values()) {
      SecurityPolicy spec = dp.resource.getSpec() == null ? null : dp.resource.getSpec().security;
      if (!dp.accepted() || spec == null) {
        continue;
      }
      dp.security = SecurityTranslator.translate(spec, dp.key.namespace());
      for (String problem : resolve(ctx, dp.security, "DataPlane's", next)) {
        dp.refProblems.add(
            new Problem(Reasons.INVALID_AUTH_SECRET_REF, "spec.security: " + problem));
      }
    }
    for (RouteState route : ctx.routes.values()) {
      if (!route.valid()) {
        continue;
      }
      Set<String> problems = new LinkedHashSet<>();
      for (int i = 0; i < route.rules().size(); i++) {
        SecurityPolicy spec = SecurityTranslator.effective(route, i);
        if (spec == null) {
          continue;
        }
        String at =
            route.rules().get(i).security != null
                ? "spec.rules[" + i + "].security"
                : "spec.security";
        SecurityConfig security = SecurityTranslator.translate(spec, route.namespace());
        for (String problem : resolve(ctx, security, "route's", next)) {
          problems.add(at + ": " + problem);
        }
      }
      for (String problem : problems) {
        route.securityProblems.add(new Problem(Reasons.INVALID_AUTH_SECRET_REF, problem));
      }
    }
    cache = next;
  }

  /** Resolves every ref of {@code security} into {@code ctx.authSecrets}; returns the problems. */
  private List<String> resolve(
      CompilationContext ctx, SecurityConfig security, String owner, Map<String, Cached> next) {
    List<String> problems = new ArrayList<>();
    for (String ref : SecurityTranslator.refs(security)) {
      AuthSecretParser.Result result = result(ctx, ref, owner, next);
      for (String p : result.problems()) {
        problems.add(describe(ref) + " " + p);
      }
      if (result.material() != null) {
        ctx.authSecrets.put(ref, result.material());
      }
    }
    if (security.jwt() != null) {
      for (JwtIssuerConfig issuer : security.jwt().issuers()) {
        if (issuer.keys() == null) {
          continue;
        }
        AuthSecretParser.Result result = next.get(issuer.keys()).result();
        if (result.jwks() != null && !usable(result.jwks().getKeys(), issuer.algorithms())) {
          problems.add(
              describe(issuer.keys())
                  + " has no key usable with "
                  + String.join("/", issuer.algorithms())
                  + " for issuer "
                  + issuer.issuer());
        }
      }
    }
    return problems;
  }

  private AuthSecretParser.Result result(
      CompilationContext ctx, String ref, String owner, Map<String, Cached> next) {
    Cached done = next.get(ref);
    String[] parts = parse(ref);
    CredentialSecret secret = ctx.credentialSecrets.get(parts[1]);
    if (done != null && done.secret() == secret) {
      return done.result();
    }
    Cached before = cache.get(ref);
    AuthSecretParser.Result result;
    if (secret == null) {
      result =
          new AuthSecretParser.Result(
              null,
              null,
              List.of(
                  "is missing from the "
                      + owner
                      + " namespace or lacks the label "
                      + CredentialSecret.LABEL
                      + " (Portico reads no other Secret)"));
    } else if (before != null && secret.equals(before.secret())) {
      result = before.result();
    } else {
      result =
          switch (parts[0]) {
            case "jwks" -> AuthSecretParser.jwks(ref, secret, parts[2]);
            case "apikeys" -> AuthSecretParser.apiKeys(ref, secret);
            default -> AuthSecretParser.htpasswd(ref, secret);
          };
    }
    next.put(ref, new Cached(secret, result));
    return result;
  }

  /** Whether some key can verify one of the algorithms (the data plane picks keys the same way). */
  static boolean usable(List<JWK> keys, List<String> algorithms) {
    for (JWK key : keys) {
      for (String name : algorithms) {
        if (fits(key, JWSAlgorithm.parse(name))) {
          return true;
        }
      }
    }
    return false;
  }

  static boolean fits(JWK key, JWSAlgorithm alg) {
    if (key.getAlgorithm() != null && !key.getAlgorithm().getName().equals(alg.getName())) {
      return false;
    }
    KeyType type = key.getKeyType();
    if (JWSAlgorithm.Family.RSA.contains(alg)) {
      return KeyType.RSA.equals(type);
    }
    if (JWSAlgorithm.Family.EC.contains(alg)) {
      return KeyType.EC.equals(type)
          && com.nimbusds.jose.jwk.Curve.forJWSAlgorithm(alg).contains(key.toECKey().getCurve());
    }
    if (JWSAlgorithm.EdDSA.equals(alg) || JWSAlgorithm.Ed25519.equals(alg)) {
      return KeyType.OKP.equals(type)
          && com.nimbusds.jose.jwk.Curve.Ed25519.equals(key.toOctetKeyPair().getCurve());
    }
    if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
      int bits = Integer.parseInt(alg.getName().substring(2));
      return KeyType.OCT.equals(type) && ((OctetSequenceKey) key).toByteArray().length * 8 >= bits;
    }
    return false;
  }

  /** {@code Secret ns/name}, as messages name it. */
  static String describe(String ref) {
    String[] parts = parse(ref);
    return "Secret " + parts[1];
  }

  /** kind, {@code namespace/name}, key or null. */
  private static String[] parse(String ref) {
    int colon = ref.indexOf(':');
    String kind = ref.substring(0, colon);
    String rest = ref.substring(colon + 1);
    if (!kind.equals("jwks")) {
      return new String[] {kind, rest, null};
    }
    int last = rest.lastIndexOf('/');
    return new String[] {kind, rest.substring(0, last), rest.substring(last + 1)};
  }
}
