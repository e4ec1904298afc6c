package dev.portico.compiler;

import dev.portico.api.ratelimit.RateLimitPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** Working state of one RateLimitPolicy during a compile. */
final class PolicyState {
  final RateLimitPolicy resource;
  final ObjectKey key;
  final List<Problem> problems = new ArrayList<>();
  final SortedSet<String> limitIds = new TreeSet<>();
  final SortedSet<String> dataPlanes = new TreeSet<>();

  PolicyState(RateLimitPolicy resource) {
    this.resource = resource;
    this.key = ObjectKey.of(RateLimitPolicy.KIND, resource);
  }

  boolean accepted() {
    return problems.isEmpty();
  }
}
