package dev.portico.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Rule timeouts in milliseconds; null means the DataPlane default. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TimeoutsConfig(Long requestMillis, Long backendRequestMillis, Long connectMillis) {}
