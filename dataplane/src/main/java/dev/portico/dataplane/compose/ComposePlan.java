package dev.portico.dataplane.compose;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.re2j.Pattern;
import dev.portico.dataplane.proxy.EndpointRegistry;
import dev.portico.dataplane.upstream.Balancers;
import dev.portico.dataplane.upstream.RetryDecider;
import dev.portico.snapshot.ComposeConfig;
import dev.portico.snapshot.ComposePartConfig;
import dev.portico.snapshot.RuleConfig;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A composing rule prepared for serving, built once per snapshot (and reused by the next one when
 * the rule object is the same): everything {@link ComposeExchange} only reads.
 */
public final class ComposePlan {
  static final ObjectMapper JSON = new ObjectMapper();

  private final RuleConfig rule;
  private final ComposeConfig config;
  private final List<PartPlan> parts;
  private final RetryDecider retries;
  private final int passThrough;

  /** Path regular expressions of the rule's matches, for path parameters; at most 16 per rule. */
  private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

  private ComposePlan(
      RuleConfig rule, List<PartPlan> parts, RetryDecider retries, int passThrough) {
    this.rule = rule;
    this.config = rule.action().compose();
    this.parts = parts;
    this.retries = retries;
    this.passThrough = passThrough;
  }

  /**
   * @throws IllegalArgumentException when the rule cannot be served (a template, pointer or
   *     fallback the compiler should have refused): the snapshot is refused as a whole
   */
  public static ComposePlan of(RuleConfig rule, EndpointRegistry registry) {
    ComposeConfig c = rule.action().compose();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < c.parts().size(); i++) {
      index.put(c.parts().get(i).name(), i);
    }
    List<PartPlan> parts = new ArrayList<>();
    int passThrough = -1;
    for (int i = 0; i < c.parts().size(); i++) {
      ComposePartConfig p = c.parts().get(i);
      String where = "rule " + rule.id() + ", part " + p.name();
      int[] deps = new int[p.dependsOn().size()];
      for (int d = 0; d < deps.length; d++) {
        Integer at = index.get(p.dependsOn().get(d));
        if (at == null) {
          throw new IllegalArgumentException(where + ": dependsOn names no part");
        }
        deps[d] = at;
      }
      if (p.bodyPassThrough()) {
        passThrough = i;
      }
      parts.add(
          new PartPlan(
              p,
              i,
              deps,
              HttpMethod.valueOf(p.method()),
              template(p, where),
              JsonShaper.of(p),
              fallback(p, where),
              p.backend() == null
                  ? null
                  : Balancers.create(
                      rule.loadBalancer(), registry.set(EndpointRegistry.key(p.backend()))),
              registry.budget(rule.id() + "#" + p.name())));
    }
    RetryDecider retries =
        rule.retry() == null ? RetryDecider.NEVER : RetryDecider.of(rule.retry());
    return new ComposePlan(rule, List.copyOf(parts), retries, passThrough);
  }

  private static PartTemplate template(ComposePartConfig p, String where) {
    try {
      return PartTemplate.parse(p.path());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": path " + e.getMessage(), e);
    }
  }

  private static JsonNode fallback(ComposePartConfig p, String where) {
    if (p.fallback() == null) {
      return null;
    }
    try {
      return JSON.readTree(p.fallback());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(where + ": fallback is not JSON", e);
    }
  }

  public RuleConfig rule() {
    return rule;
  }

  ComposeConfig config() {
    return config;
  }

  List<PartPlan> parts() {
    return parts;
  }

  RetryDecider retries() {
    return retries;
  }

  /** The index of the part that receives the client's body, or -1. */
  int passThrough() {
    return passThrough;
  }

  /** A match's path regular expression, compiled once (the route table compiled it too). */
  Pattern pattern(String regex) {
    return patterns.computeIfAbsent(regex, Pattern::compile);
  }
}
