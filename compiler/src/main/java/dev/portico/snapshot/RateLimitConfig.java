package dev.portico.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One limit of a RateLimitPolicy.
 *
 * @param id {@code namespace/policy/limit}: stable, so counters survive snapshot swaps
 * @param windowSeconds 1, 60, 3600 or 86400
 * @param burst tokens available at once
 * @param keyType ClientAddress, Header, JwtClaim, Consumer, Route or None
 * @param keyHeader lower-case header name when keyType is Header
 * @param scope Local or Global
 * @param failurePolicy Open or Closed, for Global limits
 * @param perRoute on a DataPlane target: a counter per route instead of one across routes
 * @param when the limit counts only requests meeting one of these; empty: every request
 * @param keyClaim the JWT claim when keyType is JwtClaim
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RateLimitConfig(
    String id,
    long requests,
    long windowSeconds,
    long burst,
    String keyType,
    String keyHeader,
    String scope,
    String failurePolicy,
    boolean perRoute,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<MatchConfig> when,
    String keyClaim) {

  public RateLimitConfig {
    when = Lists.copy(when);
  }
}
