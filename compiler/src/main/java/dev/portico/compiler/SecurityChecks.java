package dev.portico.compiler;

import dev.portico.api.security.AccessRule;
import dev.portico.api.security.ClaimHeader;
import dev.portico.api.security.ClaimRequirement;
import dev.portico.api.security.JwtIssuer;
import dev.portico.api.security.SecurityPolicy;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks of a {@code security} block that admission cannot make (CIDR addresses, duration ranges,
 * reserved header names, header clashes), plus the schema's rules again for files that no API
 * server admitted. A problem refuses the object ({@code Accepted=False}).
 */
final class SecurityChecks {
  /** Headers a claim may not be copied into: the gateway owns them, or they frame the message. */
  static final Set<String> RESERVED_HEADERS =
      Set.of(
          "host",
          "authorization",
          "proxy-authorization",
          "cookie",
          "content-length",
          "content-type",
          "transfer-encoding",
          "connection",
          "keep-alive",
          "te",
          "trailer",
          "upgrade",
          "proxy-connection",
          "expect",
          "forwarded",
          "x-forwarded-for",
          "x-forwarded-proto",
          "x-forwarded-host",
          "x-request-id");

  private SecurityChecks() {}

  static void check(SecurityPolicy p, String at, List<Problem> problems) {
    if (p == null) {
      return;
    }
    boolean methods = p.jwt != null || p.apiKey != null || p.basic != null;
    if (Boolean.TRUE.equals(p.forwardCredential) && !methods) {
      problems.add(invalid(at + ".forwardCredential needs an authentication method"));
    }
    if (Boolean.TRUE.equals(p.allowAnonymous) && !methods) {
      problems.add(invalid(at + ".allowAnonymous needs an authentication method"));
    }
    Set<String> credentialHeaders = new HashSet<>();
    if (p.jwt != null) {
      checkJwt(p, at + ".jwt", problems);
      credentialHeaders.add(lower(p.jwt.header == null ? "authorization" : p.jwt.header));
    }
    if (p.apiKey != null) {
      if (p.apiKey.secretRefs == null || p.apiKey.secretRefs.isEmpty()) {
        problems.add(invalid(at + ".apiKey.secretRefs needs at least one Secret"));
      }
      String header = lower(p.apiKey.header == null ? "x-api-key" : p.apiKey.header);
      if (!credentialHeaders.add(header) || header.equals("authorization") && p.basic != null) {
        problems.add(
            invalid(at + ".apiKey.header '" + header + "' is used by another method already"));
      }
      if (p.jwt != null
          && p.apiKey.queryParam != null
          && p.apiKey.queryParam.equals(p.jwt.queryParam)) {
        problems.add(invalid(at + ".apiKey.queryParam is used by jwt.queryParam already"));
      }
    }
    if (p.basic != null) {
      if (p.basic.secretRef == null || p.basic.secretRef.name == null) {
        problems.add(invalid(at + ".basic.secretRef is required"));
      }
    }
    if (p.authorization != null) {
      checkRules(p.authorization.deny, at + ".authorization.deny", problems);
      checkRules(p.authorization.allow, at + ".authorization.allow", problems);
    }
  }

  private static void checkJwt(SecurityPolicy p, String at, List<Problem> problems) {
    if (p.jwt.issuers == null || p.jwt.issuers.isEmpty()) {
      problems.add(invalid(at + ".issuers needs at least one issuer"));
      return;
    }
    Set<String> issuers = new HashSet<>();
    for (int i = 0; i < p.jwt.issuers.size(); i++) {
      JwtIssuer issuer = p.jwt.issuers.get(i);
      String where = at + ".issuers[" + i + "]";
      if (issuer.issuer == null || issuer.issuer.isEmpty()) {
        problems.add(invalid(where + ".issuer is required"));
      } else if (!issuers.add(issuer.issuer)) {
        problems.add(invalid(where + ".issuer '" + issuer.issuer + "' is listed twice"));
      }
      if ((issuer.jwksUri == null) == (issuer.jwksSecretRef == null)) {
        problems.add(invalid(where + " needs exactly one of jwksUri and jwksSecretRef"));
      }
      if (issuer.jwksUri != null
          && !issuer.jwksUri.startsWith("https://")
          && !issuer.jwksUri.startsWith("http://")) {
        problems.add(invalid(where + ".jwksUri must be an http(s) URL"));
      }
      boolean hs = false;
      boolean asymmetric = false;
      if (issuer.algorithms != null) {
        for (JwtIssuer.JwsAlgorithm a : issuer.algorithms) {
          if (a == null) {
            problems.add(invalid(where + ".algorithms has an unknown algorithm"));
          } else if (a.name().startsWith("HS")) {
            hs = true;
          } else {
            asymmetric = true;
          }
        }
      }
      if (hs && asymmetric) {
        problems.add(
            invalid(
                where + ".algorithms mixes HS* with public-key algorithms (key-type confusion)"));
      }
      if (hs && issuer.jwksSecretRef == null) {
        problems.add(invalid(where + ": HS* algorithms need jwksSecretRef (a shared secret)"));
      }
      range(issuer.clockSkew, 0, 300_000, where + ".clockSkew", "0s to 5m", problems);
      range(
          issuer.refreshInterval,
          60_000,
          86_400_000,
          where + ".refreshInterval",
          "1m to 24h",
          problems);
      range(
          issuer.refetchCooldown,
          1_000,
          3_600_000,
          where + ".refetchCooldown",
          "1s to 1h",
          problems);
      if (issuer.claimHeaders != null) {
        Set<String> headers = new HashSet<>();
        for (int j = 0; j < issuer.claimHeaders.size(); j++) {
          ClaimHeader h = issuer.claimHeaders.get(j);
          String w = where + ".claimHeaders[" + j + "]";
          if (h.claim == null || h.claim.isEmpty() || h.header == null || h.header.isEmpty()) {
            problems.add(invalid(w + " needs a claim and a header"));
            continue;
          }
          String name = lower(h.header);
          if (RESERVED_HEADERS.contains(name) || name.startsWith("x-portico-")) {
            problems.add(
                invalid(w + ".header '" + h.header + "' is reserved; pick another header name"));
          } else if (!headers.add(name)) {
            problems.add(invalid(w + ".header '" + h.header + "' is used twice"));
          }
        }
      }
    }
  }

  private static void checkRules(List<AccessRule> rules, String at, List<Problem> problems) {
    if (rules == null) {
      return;
    }
    for (int i = 0; i < rules.size(); i++) {
      AccessRule r = rules.get(i);
      String where = at + "[" + i + "]";
      if (empty(r.methods)
          && empty(r.clientCIDRs)
          && empty(r.claims)
          && empty(r.consumers)
          && empty(r.groups)
          && r.authenticated == null) {
        problems.add(invalid(where + " needs at least one condition"));
      }
      if (r.clientCIDRs != null) {
        for (String cidr : r.clientCIDRs) {
          String problem = Cidr.problem(cidr);
          if (problem != null) {
            problems.add(invalid(where + ".clientCIDRs: " + problem));
          }
        }
      }
      if (r.claims != null) {
        for (int j = 0; j < r.claims.size(); j++) {
          ClaimRequirement c = r.claims.get(j);
          int tests =
              (c.equals != null ? 1 : 0)
                  + (c.contains != null ? 1 : 0)
                  + (c.includes != null ? 1 : 0);
          if (c.name == null || tests != 1) {
            problems.add(
                invalid(
                    where
                        + ".claims["
                        + j
                        + "] needs a name and exactly one of equals, contains and includes"));
          }
        }
      }
    }
  }

  private static void range(
      String duration, long min, long max, String at, String allowed, List<Problem> problems) {
    if (duration == null) {
      return;
    }
    try {
      long millis = Durations.toMillis(duration);
      if (millis < min || millis > max) {
        problems.add(invalid(at + " must be " + allowed));
      }
    } catch (IllegalArgumentException e) {
      problems.add(invalid(at + ": " + e.getMessage()));
    }
  }

  private static boolean empty(List<?> list) {
    return list == null || list.isEmpty();
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  private static Problem invalid(String message) {
    return SpecValidationPass.invalid(message);
  }
}
