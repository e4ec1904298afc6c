/**
 * Cross-origin resource sharing for rules with a CORS filter: preflights answered by the gateway,
 * and the CORS fields on every other answer of the rule (the Fetch standard's CORS protocol).
 */
package dev.portico.dataplane.cors;
