package dev.portico.api.ratelimit;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.portico.api.common.ResourceStatus;

/** Observed state of a policy: whether its target was found and its limits programmed. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class RateLimitPolicyStatus extends ResourceStatus {}
