package dev.portico.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Edits to the request before it is proxied.
 *
 * @param headers header edits, or null
 * @param hostname new Host header, or null to keep it
 * @param path new path or prefix, or null to keep it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RequestEdits(HeaderEdits headers, String hostname, PathRewrite path) {}
