package dev.portico.dataplane.compose;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portico.dataplane.upstream.LoadBalancer;
import dev.portico.dataplane.upstream.RetryBudget;
import dev.portico.snapshot.ComposePartConfig;
import io.vertx.core.http.HttpMethod;

/**
 * One part prepared when the snapshot loads: its balancer over the Service's long-lived endpoint
 * set, retry budget, parsed template, shaper and fallback, and the indexes of the parts it waits
 * for.
 *
 * @param balancer null when the part's backend did not resolve
 * @param fallback parsed once; copied before each use, since merging changes values in place
 */
record PartPlan(
    ComposePartConfig config,
    int index,
    int[] dependsOn,
    HttpMethod method,
    PartTemplate template,
    JsonShaper shaper,
    JsonNode fallback,
    LoadBalancer balancer,
    RetryBudget budget) {

  String name() {
    return config.name();
  }
}
