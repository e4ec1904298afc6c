package dev.portico.dataplane.ratelimit;

import dev.portico.dataplane.auth.Identity;
import dev.portico.dataplane.ratelimit.global.GlobalStep;
import dev.portico.dataplane.routing.MatchCondition;
import dev.portico.snapshot.RateLimitConfig;
import io.vertx.core.MultiMap;

/**
 * One Global limit as it applies to one rule: which counter in Redis a request takes from (the
 * DataPlane, the limit, the route for a per-route limit, and the request's key value), at what
 * rate, and what to do while Redis is unreachable.
 */
final class GlobalLimit implements ReportedLimit {
  final String limitId;
  final MatchCondition[] when;
  private final String identityPrefix;
  private final LimitKey key;
  private final long requests;
  private final long windowSeconds;
  private final double intervalMicros;
  private final long burst;
  private final boolean failOpen;

  GlobalLimit(String dataPlane, RateLimitConfig limit, String counterRoute, LimitKey key) {
    this.limitId = limit.id();
    this.when = MatchCondition.all(limit.when(), limit.id());
    // NUL cannot occur in names: the parts can never run into one another.
    this.identityPrefix =
        dataPlane + '\0' + limit.id() + '\0' + (counterRoute == null ? "" : counterRoute) + '\0';
    this.key = key;
    this.requests = limit.requests();
    this.windowSeconds = limit.windowSeconds();
    this.intervalMicros = windowSeconds * 1_000_000.0 / requests;
    this.burst = Math.max(1, limit.burst());
    this.failOpen = !"Closed".equals(limit.failurePolicy());
  }

  /** The step this request takes in Redis. */
  GlobalStep step(MultiMap headers, String clientAddress, Identity caller) {
    return new GlobalStep(
        identityPrefix + key.value(headers, clientAddress, caller),
        intervalMicros,
        burst,
        failOpen);
  }

  @Override
  public String limitName() {
    return limitId.substring(limitId.lastIndexOf('/') + 1);
  }

  @Override
  public long requests() {
    return requests;
  }

  @Override
  public long windowSeconds() {
    return windowSeconds;
  }
}
