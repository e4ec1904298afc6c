/**
 * Authentication and authorization of routed requests: JWT, API keys and Basic credentials checked
 * against the snapshot's key material, access rules, and the identity headers backends receive.
 * Runs after route matching and before rate limits.
 */
package dev.portico.dataplane.auth;
