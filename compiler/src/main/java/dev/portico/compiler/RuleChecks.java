package dev.portico.compiler;

import dev.portico.api.route.BackendRef;
import dev.portico.api.route.PathMatch;
import dev.portico.api.route.PathModifier;
import dev.portico.api.route.RouteFilter;
import dev.portico.api.route.RouteMatch;
import dev.portico.api.route.RouteRule;
import java.util.List;
import java.util.Set;

/** Checks of one rule's action, filters and durations; part of {@link SpecValidationPass}. */
final class RuleChecks {
  private static final Set<Integer> REDIRECT_CODES = Set.of(301, 302, 303, 307, 308);

  private RuleChecks() {}

  static void check(RouteRule rule, String at, List<Problem> problems) {
    List<RouteFilter> filters = rule.filters == null ? List.of() : rule.filters;
    List<BackendRef> backends = rule.backends == null ? List.of() : rule.backends;
    long terminal =
        filters.stream()
            .filter(
                f ->
                    f.type == RouteFilter.Type.RequestRedirect
                        || f.type == RouteFilter.Type.DirectResponse)
            .count();
    int actions = (backends.isEmpty() ? 0 : 1) + (rule.compose == null ? 0 : 1) + (int) terminal;
    if (actions != 1) {
      problems.add(
          SpecValidationPass.invalid(
              at
                  + " needs exactly one action: backends, compose, a RequestRedirect or a"
                  + " DirectResponse"));
    }
    if (rule.compose != null) {
      if (filters.stream().anyMatch(f -> f.type == RouteFilter.Type.URLRewrite)) {
        problems.add(
            SpecValidationPass.invalid(
                at + ": URLRewrite cannot be combined with compose: each part names its own path"));
      }
      ComposeChecks.check(rule, at, problems);
    }
    if (filters.stream().filter(f -> f.type == RouteFilter.Type.CORS).count() > 1) {
      problems.add(SpecValidationPass.invalid(at + " may have at most one CORS filter"));
    }
    if (!backends.isEmpty() && backends.stream().noneMatch(b -> weight(b) > 0)) {
      problems.add(SpecValidationPass.invalid(at + ".backends all have weight 0"));
    }
    for (int i = 0; i < filters.size(); i++) {
      checkFilter(rule, filters.get(i), at + ".filters[" + i + "]", problems);
    }
    if (rule.timeouts != null) {
      duration(rule.timeouts.request, at + ".timeouts.request", problems);
      duration(rule.timeouts.backendRequest, at + ".timeouts.backendRequest", problems);
      duration(rule.timeouts.connect, at + ".timeouts.connect", problems);
    }
    if (rule.retry != null) {
      duration(rule.retry.perTryTimeout, at + ".retry.perTryTimeout", problems);
      duration(rule.retry.backoffBase, at + ".retry.backoffBase", problems);
      duration(rule.retry.backoffMax, at + ".retry.backoffMax", problems);
    }
    if (rule.loadBalancer != null
        && (rule.loadBalancer.type == dev.portico.api.route.LoadBalancerPolicy.Type.ConsistentHash)
            != (rule.loadBalancer.hashOn != null)) {
      problems.add(
          SpecValidationPass.invalid(
              at + ".loadBalancer.hashOn must be set exactly when type is ConsistentHash"));
    }
  }

  static int weight(BackendRef b) {
    return b.weight == null ? 1 : b.weight;
  }

  private static void checkFilter(
      RouteRule rule, RouteFilter f, String at, List<Problem> problems) {
    Object body =
        f.type == null
            ? null
            : switch (f.type) {
              case RequestHeaderModifier -> f.requestHeaderModifier;
              case ResponseHeaderModifier -> f.responseHeaderModifier;
              case URLRewrite -> f.urlRewrite;
              case RequestRedirect -> f.requestRedirect;
              case DirectResponse -> f.directResponse;
              case CORS -> f.cors;
            };
    if (body == null) {
      problems.add(SpecValidationPass.invalid(at + " needs a type and the matching field"));
      return;
    }
    PathModifier path =
        switch (f.type) {
          case URLRewrite -> f.urlRewrite.path;
          case RequestRedirect -> f.requestRedirect.path;
          default -> null;
        };
    if (path != null && path.type == PathModifier.Type.ReplacePrefixMatch) {
      boolean allPrefix =
          Matches.of(rule).stream().allMatch(RuleChecks::isPrefixMatch)
              && path.replacePrefixMatch != null;
      if (!allPrefix) {
        problems.add(
            SpecValidationPass.invalid(
                at + ": ReplacePrefixMatch needs every match of the rule to be a PathPrefix"));
      }
    }
    if (path != null
        && path.type == PathModifier.Type.ReplaceFullPath
        && path.replaceFullPath == null) {
      problems.add(SpecValidationPass.invalid(at + ": ReplaceFullPath needs replaceFullPath"));
    }
    if (f.type == RouteFilter.Type.RequestRedirect
        && f.requestRedirect.statusCode != null
        && !REDIRECT_CODES.contains(f.requestRedirect.statusCode)) {
      problems.add(
          SpecValidationPass.invalid(
              at + ".requestRedirect.statusCode must be one of 301, 302, 303, 307, 308"));
    }
    if (f.type == RouteFilter.Type.CORS) {
      CorsChecks.check(f.cors, at + ".cors", problems);
    }
    if (f.type == RouteFilter.Type.DirectResponse
        && (f.directResponse.statusCode == null
            || f.directResponse.statusCode < 200
            || f.directResponse.statusCode > 599)) {
      problems.add(SpecValidationPass.invalid(at + ".directResponse.statusCode must be 200-599"));
    }
  }

  private static boolean isPrefixMatch(RouteMatch m) {
    return m.path == null || m.path.type == null || m.path.type == PathMatch.Type.PathPrefix;
  }

  private static void duration(String value, String at, List<Problem> problems) {
    try {
      Durations.toMillis(value);
    } catch (IllegalArgumentException e) {
      problems.add(SpecValidationPass.invalid(at + ": " + e.getMessage()));
    }
  }
}
