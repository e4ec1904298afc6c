package dev.portico.compiler;

import com.google.re2j.PatternSyntaxException;
import dev.portico.api.common.Conditions.Reasons;
import dev.portico.api.dataplane.AllowedRoutes;
import dev.portico.api.dataplane.DataPlaneSpec;
import dev.portico.api.dataplane.Listener;
import dev.portico.api.ratelimit.RateLimit;
import dev.portico.api.ratelimit.RateLimitPolicySpec;
import dev.portico.api.route.GatewayRouteSpec;
import dev.portico.api.route.HeaderMatch;
import dev.portico.api.route.PathMatch;
import dev.portico.api.route.QueryParamMatch;
import dev.portico.api.route.RouteMatch;
import dev.portico.api.route.RouteRule;
import dev.portico.api.route.StringMatchType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks what admission cannot (regular expressions compile, durations parse, ...) and repeats the
 * schema's key rules, because standalone mode and the offline {@code validate} command read files
 * that no API server has admitted. An object that fails is rejected alone.
 */
final class SpecValidationPass implements CompilerPass {
  @Override
  public void apply(CompilationContext ctx) {
    ctx.dataPlanes.values().forEach(this::validate);
    routes(ctx);
    ctx.policies.values().forEach(this::validate);
  }

  /** Validates the routes the memo does not hold results for: all a route delta needs. */
  void routes(CompilationContext ctx) {
    ctx.routes.values().stream().filter(r -> !r.restored()).forEach(this::validate);
  }

  private void validate(DataPlaneState dp) {
    DataPlaneSpec spec = dp.resource.getSpec();
    if (spec == null || spec.listeners == null || spec.listeners.isEmpty()) {
      dp.problems.add(invalid("spec.listeners needs at least one listener"));
      return;
    }
    Set<String> names = new HashSet<>();
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < spec.listeners.size(); i++) {
      Listener l = spec.listeners.get(i);
      String at = "spec.listeners[" + i + "]";
      if (l.name == null || !names.add(l.name)) {
        dp.problems.add(invalid(at + ".name must be set and unique"));
      }
      if (l.port == null || l.port < 1 || l.port > 65535 || !ports.add(l.port)) {
        dp.problems.add(invalid(at + ".port must be 1-65535 and unique"));
      }
      if ((l.protocol == Listener.Protocol.HTTPS) != (l.tls != null)) {
        dp.problems.add(invalid(at + ".tls is required for HTTPS and not allowed for HTTP"));
      }
      if (l.tls != null && (l.tls.certificateRefs == null || l.tls.certificateRefs.isEmpty())) {
        dp.problems.add(invalid(at + ".tls.certificateRefs needs at least one Secret"));
      }
    }
    ProxySettingsTranslator.check(spec.proxy, dp.problems);
    RedisStorePass.check(spec.redis, dp.problems);
    SecurityChecks.check(spec.security, "spec.security", dp.problems);
    AllowedRoutes allowed = spec.allowedRoutes;
    if (allowed != null && allowed.from == AllowedRoutes.From.Selector) {
      String error = LabelSelectors.validate(allowed.selector);
      if (error != null) {
        dp.problems.add(invalid("spec.allowedRoutes.selector: " + error));
      }
    }
  }

  private void validate(RouteState route) {
    GatewayRouteSpec spec = route.resource.getSpec();
    if (spec == null || spec.parentRefs == null || spec.parentRefs.isEmpty()) {
      route.invalid.add(invalid("spec.parentRefs needs at least one DataPlane"));
      return;
    }
    if (spec.rules == null || spec.rules.isEmpty()) {
      route.invalid.add(invalid("spec.rules needs at least one rule"));
      return;
    }
    SecurityChecks.check(spec.security, "spec.security", route.invalid);
    Set<String> ruleNames = new HashSet<>();
    for (int i = 0; i < spec.rules.size(); i++) {
      RouteRule rule = spec.rules.get(i);
      String at = "spec.rules[" + i + "]";
      if (rule.name != null && !ruleNames.add(rule.name)) {
        route.invalid.add(invalid(at + ".name '" + rule.name + "' is used by another rule"));
      }
      RuleChecks.check(rule, at, route.invalid);
      SecurityChecks.check(rule.security, at + ".security", route.invalid);
      List<RouteMatch> matches = Matches.of(rule);
      for (int j = 0; j < matches.size(); j++) {
        checkMatch(matches.get(j), at + ".matches[" + j + "]", route.invalid);
      }
    }
  }

  private void checkMatch(RouteMatch m, String at, List<Problem> problems) {
    PathMatch path = m.path;
    if (path != null && path.value != null) {
      if (path.type == PathMatch.Type.RegularExpression) {
        checkRegex(path.value, at + ".path.value", problems);
      } else if (!path.value.startsWith("/")) {
        problems.add(invalid(at + ".path.value must start with '/'"));
      } else if (!isNormalized(path.value)) {
        problems.add(
            invalid(
                at
                    + ".path.value '"
                    + path.value
                    + "' can never match: requests are matched on their normalized path, which"
                    + " has no '//', '.' or '..' segments, ';', '%2F', '%5C' or backslash"));
      }
    }
    if (m.headers != null) {
      for (int k = 0; k < m.headers.size(); k++) {
        HeaderMatch h = m.headers.get(k);
        if (h.name == null || h.value == null) {
          problems.add(invalid(at + ".headers[" + k + "] needs a name and a value"));
        } else if (h.type == StringMatchType.RegularExpression) {
          checkRegex(h.value, at + ".headers[" + k + "].value", problems);
        }
      }
    }
    if (m.queryParams != null) {
      for (int k = 0; k < m.queryParams.size(); k++) {
        QueryParamMatch q = m.queryParams.get(k);
        if (q.name == null || q.value == null) {
          problems.add(invalid(at + ".queryParams[" + k + "] needs a name and a value"));
        } else if (q.type == StringMatchType.RegularExpression) {
          checkRegex(q.value, at + ".queryParams[" + k + "].value", problems);
        }
      }
    }
  }

  /** True when an Exact or PathPrefix value is in the form the data plane's normalizer yields. */
  static boolean isNormalized(String path) {
    if (path.contains("//") || path.contains(";") || path.contains("\\")) {
      return false;
    }
    String upper = path.toUpperCase(java.util.Locale.ROOT);
    if (upper.contains("%2F") || upper.contains("%5C")) {
      return false;
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  /** Patterns run on the data plane with RE2J, in linear time; they must compile there. */
  private static void checkRegex(String regex, String at, List<Problem> problems) {
    try {
      com.google.re2j.Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      problems.add(invalid(at + " is not a valid regular expression: " + e.getDescription()));
    }
  }

  private void validate(PolicyState policy) {
    RateLimitPolicySpec spec = policy.resource.getSpec();
    if (spec == null || spec.targetRef == null || spec.targetRef.kind == null) {
      policy.problems.add(invalid("spec.targetRef needs a kind and a name"));
      return;
    }
    if (spec.targetRef.name == null) {
      policy.problems.add(invalid("spec.targetRef.name is required"));
    }
    if (spec.limits == null || spec.limits.isEmpty()) {
      policy.problems.add(invalid("spec.limits needs at least one limit"));
      return;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < spec.limits.size(); i++) {
      RateLimit limit = spec.limits.get(i);
      String at = "spec.limits[" + i + "]";
      if (limit.name == null || !names.add(limit.name)) {
        policy.problems.add(invalid(at + ".name must be set and unique"));
      }
      if (limit.requests == null || limit.requests < 1 || limit.window == null) {
        policy.problems.add(invalid(at + " needs requests >= 1 and a window"));
      }
      if (limit.key != null
          && (limit.key.type == dev.portico.api.ratelimit.RateLimitKey.Type.Header)
              != (limit.key.header != null)) {
        policy.problems.add(invalid(at + ".key.header must be set exactly when type is Header"));
      }
      if (limit.key != null
          && (limit.key.type == dev.portico.api.ratelimit.RateLimitKey.Type.JwtClaim)
              != (limit.key.claim != null)) {
        policy.problems.add(invalid(at + ".key.claim must be set exactly when type is JwtClaim"));
      }
      if (limit.when != null) {
        for (int j = 0; j < limit.when.size(); j++) {
          if (limit.when.get(j) == null) {
            policy.problems.add(invalid(at + ".when[" + j + "] is empty"));
          } else {
            checkMatch(limit.when.get(j), at + ".when[" + j + "]", policy.problems);
          }
        }
      }
    }
  }

  static Problem invalid(String message) {
    return new Problem(Reasons.INVALID, message);
  }
}
