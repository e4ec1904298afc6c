package dev.portico.snapshot;

/** A fixed response answered by the gateway. */
public record DirectResponseConfig(int statusCode, String contentType, String body) {}
