/**
 * Authentication and authorization at the edge: the {@code security} block of routes and
 * DataPlanes.
 */
package dev.portico.api.security;
