package dev.portico.dataplane.ratelimit;

import io.vertx.core.MultiMap;
import java.util.Set;

/**
 * The rate-limit fields a DataPlane adds to every response of a limited route, as its {@code
 * spec.rateLimitHeaders} chooses: those of draft-ietf-httpapi-ratelimit-headers-10 ({@code
 * RateLimit-Policy: "name";q=100;w=60} and {@code RateLimit: "name";r=42;t=18}), the de-facto
 * {@code X-RateLimit-Limit / -Remaining / -Reset} (reset in seconds from now), or none.
 */
public enum RateLimitFields {
  Draft {
    @Override
    void write(MultiMap headers, RateLimitDecision d) {
      String name = "\"" + d.limit().limitName() + "\"";
      ReportedLimit limit = d.limit();
      headers.set(
          "ratelimit-policy", name + ";q=" + limit.requests() + ";w=" + limit.windowSeconds());
      headers.set("ratelimit", name + ";r=" + d.remaining() + ";t=" + ceilSeconds(d.resetNanos()));
    }
  },
  XRateLimit {
    @Override
    void write(MultiMap headers, RateLimitDecision d) {
      headers.set("x-ratelimit-limit", Long.toString(d.limit().requests()));
      headers.set("x-ratelimit-remaining", Long.toString(d.remaining()));
      headers.set("x-ratelimit-reset", Long.toString(ceilSeconds(d.resetNanos())));
    }
  },
  None {
    @Override
    void write(MultiMap headers, RateLimitDecision d) {}
  };

  /** Every field name any style writes, lower case. */
  public static final Set<String> NAMES =
      Set.of(
          "ratelimit-policy",
          "ratelimit",
          "x-ratelimit-limit",
          "x-ratelimit-remaining",
          "x-ratelimit-reset");

  /** The style a snapshot names; Draft when it names none. */
  public static RateLimitFields of(String style) {
    return style == null ? Draft : valueOf(style);
  }

  /**
   * Adds the fields for {@code decision}; a refusal also gets Retry-After, whatever the style. A
   * refusal because Redis is unreachable reports no quota (none is known), only Retry-After.
   */
  public void apply(MultiMap headers, RateLimitDecision decision) {
    if (decision.limit() != null && !decision.storeUnavailable()) {
      write(headers, decision);
    }
    if (!decision.allowed()) {
      headers.set("retry-after", Long.toString(decision.retryAfterSeconds()));
    }
  }

  abstract void write(MultiMap headers, RateLimitDecision decision);

  static long ceilSeconds(long nanos) {
    return nanos <= 0 ? 0 : (nanos - 1) / 1_000_000_000L + 1;
  }
}
