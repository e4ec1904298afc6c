package dev.portico.dataplane.ratelimit.global;

/**
 * One counter one request takes from, in Redis.
 *
 * @param identity what tells this counter apart (hashed into the Redis key: it may hold client
 *     text)
 * @param intervalMicros window / requests: one request earns back every interval
 * @param burst requests allowed at once from a full counter, at least 1
 * @param failOpen while Redis cannot be asked: admit (true) or refuse (false)
 */
public record GlobalStep(String identity, double intervalMicros, long burst, boolean failOpen) {}
