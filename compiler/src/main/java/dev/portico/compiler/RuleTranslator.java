package dev.portico.compiler;

import dev.portico.api.route.DirectResponse;
import dev.portico.api.route.HeaderModifier;
import dev.portico.api.route.HeaderValue;
import dev.portico.api.route.PathModifier;
import dev.portico.api.route.RequestRedirect;
import dev.portico.api.route.RetryPolicy;
import dev.portico.api.route.RouteFilter;
import dev.portico.api.route.RouteRule;
import dev.portico.snapshot.ActionConfig;
import dev.portico.snapshot.BackendConfig;
import dev.portico.snapshot.CorsConfig;
import dev.portico.snapshot.DirectResponseConfig;
import dev.portico.snapshot.HeaderEdits;
import dev.portico.snapshot.HeaderEdits.Header;
import dev.portico.snapshot.LoadBalancerConfig;
import dev.portico.snapshot.PathRewrite;
import dev.portico.snapshot.RedirectConfig;
import dev.portico.snapshot.RequestEdits;
import dev.portico.snapshot.RetryConfig;
import dev.portico.snapshot.RuleConfig;
import dev.portico.snapshot.TimeoutsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Translates one validated API rule into its snapshot form. */
final class RuleTranslator {
  private RuleTranslator() {}

  static RuleConfig translate(RouteState route, int index) {
    RouteRule rule = route.rules().get(index);
    List<RouteFilter> filters = rule.filters == null ? List.of() : rule.filters;
    HeaderEdits requestHeaders = HeaderEdits.NONE;
    HeaderEdits responseHeaders = HeaderEdits.NONE;
    String hostname = null;
    PathRewrite path = null;
    ActionConfig action = null;
    CorsConfig cors = null;
    for (RouteFilter f : filters) {
      switch (f.type) {
        case RequestHeaderModifier ->
            requestHeaders = merge(requestHeaders, f.requestHeaderModifier);
        case ResponseHeaderModifier ->
            responseHeaders = merge(responseHeaders, f.responseHeaderModifier);
        case URLRewrite -> {
          hostname = f.urlRewrite.hostname;
          path = rewrite(f.urlRewrite.path);
        }
        case RequestRedirect -> action = ActionConfig.redirect(redirect(f.requestRedirect));
        case DirectResponse -> action = ActionConfig.respond(respond(f.directResponse));
        case CORS -> cors = CorsTranslator.translate(f.cors);
      }
    }
    if (action == null && rule.compose != null) {
      action =
          ActionConfig.compose(
              ComposeTranslator.translate(rule.compose, route.partBackends.get(index)));
    }
    boolean proxy = action == null;
    boolean upstream = proxy || action.compose() != null;
    if (proxy) {
      List<BackendConfig> backends = route.backends.getOrDefault(index, List.of());
      // Only zero-weight backends left (the weighted ones did not resolve): nothing may be sent,
      // so the rule answers 503 like a rule whose backends all failed to resolve.
      boolean anyWeight = backends.stream().anyMatch(b -> b.weight() > 0);
      action = ActionConfig.proxy(anyWeight ? backends : List.of());
    }
    RequestEdits request =
        requestHeaders.isEmpty() && hostname == null && path == null
            ? null
            : new RequestEdits(requestHeaders.isEmpty() ? null : requestHeaders, hostname, path);
    return new RuleConfig(
        route.ruleId(index),
        route.id(),
        rule.name,
        request,
        responseHeaders.isEmpty() ? null : responseHeaders,
        action,
        timeouts(rule),
        retry(rule.retry),
        upstream ? loadBalancer(rule) : null,
        List.copyOf(route.rateLimitsOf(index)),
        SecurityTranslator.translate(SecurityTranslator.effective(route, index), route.namespace()),
        cors);
  }

  private static HeaderEdits merge(HeaderEdits base, HeaderModifier m) {
    List<Header> set = new ArrayList<>(base.set());
    List<Header> add = new ArrayList<>(base.add());
    List<String> remove = new ArrayList<>(base.remove());
    if (m.set != null) {
      m.set.forEach(h -> set.add(header(h)));
    }
    if (m.add != null) {
      m.add.forEach(h -> add.add(header(h)));
    }
    if (m.remove != null) {
      m.remove.forEach(name -> remove.add(name.toLowerCase(Locale.ROOT)));
    }
    return new HeaderEdits(set, add, remove);
  }

  private static Header header(HeaderValue h) {
    return new Header(h.name.toLowerCase(Locale.ROOT), h.value);
  }

  private static PathRewrite rewrite(PathModifier p) {
    if (p == null) {
      return null;
    }
    return p.type == PathModifier.Type.ReplacePrefixMatch
        ? new PathRewrite(true, p.replacePrefixMatch)
        : new PathRewrite(false, p.replaceFullPath);
  }

  private static RedirectConfig redirect(RequestRedirect r) {
    return new RedirectConfig(
        r.scheme == null ? null : r.scheme.name(),
        r.hostname,
        r.port,
        rewrite(r.path),
        r.statusCode == null ? 302 : r.statusCode);
  }

  private static DirectResponseConfig respond(DirectResponse d) {
    return new DirectResponseConfig(
        d.statusCode,
        d.contentType == null ? "text/plain; charset=utf-8" : d.contentType,
        d.body == null ? "" : d.body);
  }

  private static TimeoutsConfig timeouts(RouteRule rule) {
    if (rule.timeouts == null) {
      return null;
    }
    return new TimeoutsConfig(
        Durations.toMillis(rule.timeouts.request),
        Durations.toMillis(rule.timeouts.backendRequest),
        Durations.toMillis(rule.timeouts.connect));
  }

  private static RetryConfig retry(RetryPolicy r) {
    if (r == null) {
      return null;
    }
    List<String> on =
        r.retryOn == null
            ? List.of("ConnectFailure")
            : r.retryOn.stream().map(Enum::name).distinct().sorted().toList();
    return new RetryConfig(
        r.attempts == null ? 1 : r.attempts,
        on,
        Durations.toMillis(r.perTryTimeout),
        Durations.toMillis(r.backoffBase == null ? "25ms" : r.backoffBase),
        Durations.toMillis(r.backoffMax == null ? "250ms" : r.backoffMax),
        r.budgetPercent == null ? 20 : r.budgetPercent,
        Boolean.TRUE.equals(r.nonIdempotent));
  }

  private static LoadBalancerConfig loadBalancer(RouteRule rule) {
    if (rule.loadBalancer == null || rule.loadBalancer.type == null) {
      return LoadBalancerConfig.ROUND_ROBIN;
    }
    var hash = rule.loadBalancer.hashOn;
    return new LoadBalancerConfig(
        rule.loadBalancer.type.name(),
        hash == null || hash.header == null ? null : hash.header.toLowerCase(Locale.ROOT),
        hash == null ? null : hash.cookie,
        hash == null || !Boolean.TRUE.equals(hash.clientAddress) ? null : Boolean.TRUE);
  }
}
