package dev.portico.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A redirect answered by the gateway; null parts keep the request's own values. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RedirectConfig(
    String scheme, String hostname, Integer port, PathRewrite path, int statusCode) {}
