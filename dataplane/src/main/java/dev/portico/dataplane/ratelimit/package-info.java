/**
 * Rate limiting on the request path, right after route matching and before the action: token
 * buckets per limit and key ({@link dev.portico.dataplane.ratelimit.TokenBucket}), kept in a
 * bounded store that outlives snapshot swaps ({@link dev.portico.dataplane.ratelimit.BucketStore}),
 * applied per rule ({@link dev.portico.dataplane.ratelimit.RuleLimits}) and reported to the client
 * ({@link dev.portico.dataplane.ratelimit.RateLimitFields}).
 *
 * <p>Only {@code scope: Local} limits are enforced here, synchronously on the event loop. A {@code
 * Global} limit (Redis) will answer with a future once its limiter exists; the handler then asks it
 * after the local decision, so the local path never waits. Until then Global limits are skipped
 * when a snapshot is loaded and their policies report {@code Enforced=False}.
 */
package dev.portico.dataplane.ratelimit;
