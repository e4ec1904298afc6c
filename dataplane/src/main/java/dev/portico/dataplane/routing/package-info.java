/**
 * The data plane's routing core: one path normalization per request, then a lookup in the
 * listener's {@link dev.portico.dataplane.routing.RouteTable}, built once per snapshot.
 *
 * <p>Pure Java, no Vert.x: everything here runs on the event loop, so nothing blocks and a lookup
 * allocates next to nothing. Regular expressions are RE2J (linear time), because tenants write them
 * and a backtracking engine would let one pattern stall every request on the loop.
 */
package dev.portico.dataplane.routing;
