package dev.portico.dataplane.server;

import dev.portico.dataplane.problem.ProblemType;

/**
 * Why {@link RequestGuard} refused a request before routing.
 *
 * @param close true when the connection's framing can no longer be trusted and must be closed
 */
record Rejection(ProblemType type, String detail, boolean close) {}
