/**
 * The rule filters applied after route matching: header edits, URL rewrites, redirects and direct
 * responses.
 */
package dev.portico.dataplane.filter;
