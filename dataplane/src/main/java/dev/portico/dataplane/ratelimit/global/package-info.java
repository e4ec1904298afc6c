/**
 * Global rate limits: counters shared by every replica of a DataPlane through Redis, with an atomic
 * GCRA step on the Redis server's clock and a circuit breaker that applies each limit's failure
 * policy while Redis is unreachable.
 */
package dev.portico.dataplane.ratelimit.global;
