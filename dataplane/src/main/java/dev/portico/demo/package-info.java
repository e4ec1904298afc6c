/**
 * Demo backend services for {@code make run}, the examples and tests: a small catalog and reviews
 * API plus echo, delay and status endpoints to watch the gateway's routing, edits and retries.
 */
package dev.portico.demo;
