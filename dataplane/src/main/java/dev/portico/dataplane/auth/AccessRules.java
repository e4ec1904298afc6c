package dev.portico.dataplane.auth;

import dev.portico.snapshot.SecurityConfig.AccessRuleConfig;
import dev.portico.snapshot.SecurityConfig.ClaimRequirementConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A rule's access rules, prepared: deny rules first (any match refuses), then allow rules (when
 * there are any, one must match).
 */
final class AccessRules {
  /** What access rules look at. */
  record Request(String method, byte[] clientAddress, Identity identity) {}

  enum Verdict {
    ALLOWED,
    DENIED,
    NOT_ALLOWED
  }

  private final List<Rule> deny;
  private final List<Rule> allow;

  AccessRules(List<AccessRuleConfig> deny, List<AccessRuleConfig> allow) {
    this.deny = deny.stream().map(Rule::new).toList();
    this.allow = allow.stream().map(Rule::new).toList();
  }

  boolean isEmpty() {
    return deny.isEmpty() && allow.isEmpty();
  }

  boolean needsClientAddress() {
    return deny.stream().anyMatch(r -> !r.ranges.isEmpty())
        || allow.stream().anyMatch(r -> !r.ranges.isEmpty());
  }

  Verdict decide(Request request) {
    for (Rule r : deny) {
      if (r.matches(request)) {
        return Verdict.DENIED;
      }
    }
    if (allow.isEmpty()) {
      return Verdict.ALLOWED;
    }
    for (Rule r : allow) {
      if (r.matches(request)) {
        return Verdict.ALLOWED;
      }
    }
    return Verdict.NOT_ALLOWED;
  }

  private static final class Rule {
    final Set<String> methods;
    final List<AddressRange> ranges;
    final List<ClaimRequirementConfig> claims;
    final Set<String> consumers;
    final Set<String> groups;
    final Boolean authenticated;

    Rule(AccessRuleConfig c) {
      this.methods = new HashSet<>(c.methods());
      this.ranges = c.clientCidrs().stream().map(AddressRange::of).toList();
      this.claims = c.claims();
      this.consumers = new HashSet<>(c.consumers());
      this.groups = new HashSet<>(c.groups());
      this.authenticated = c.authenticated();
    }

    boolean matches(Request r) {
      if (!methods.isEmpty() && !methods.contains(r.method())) {
        return false;
      }
      if (authenticated != null && authenticated != r.identity().authenticated()) {
        return false;
      }
      if (!ranges.isEmpty() && ranges.stream().noneMatch(a -> a.contains(r.clientAddress()))) {
        return false;
      }
      Identity id = r.identity();
      if (!consumers.isEmpty() && (id.consumer() == null || !consumers.contains(id.consumer()))) {
        return false;
      }
      if (!groups.isEmpty() && id.groups().stream().noneMatch(groups::contains)) {
        return false;
      }
      for (ClaimRequirementConfig c : claims) {
        if (!Claims.test(id.claims().get(c.name()), c.test(), c.value())) {
          return false;
        }
      }
      return true;
    }
  }
}
