package dev.portico.compiler;

import dev.portico.api.dataplane.DataPlane;
import dev.portico.api.dataplane.Listener;
import dev.portico.api.dataplane.RedisStore;
import dev.portico.api.dataplane.SecretRef;
import dev.portico.api.route.GatewayRoute;
import dev.portico.api.route.RouteRule;
import dev.portico.api.security.JwtIssuer;
import dev.portico.api.security.SecurityPolicy;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Set;

/**
 * The Secrets ({@code namespace/name}) that DataPlanes and routes name: what the operator must hand
 * to the compiler. A route's Secrets are always read from the route's own namespace, a DataPlane's
 * from the DataPlane's.
 */
public final class SecretReferences {
  private SecretReferences() {}

  /**
   * Adds every Secret the DataPlane names: listener certificates, the Redis password and its
   * default security's Secrets.
   */
  public static void of(DataPlane dp, Set<String> into) {
    if (dp.getSpec() == null) {
      return;
    }
    String ns = dp.getMetadata().getNamespace();
    RedisStore redis = dp.getSpec().redis;
    if (redis != null && redis.passwordSecretRef != null) {
      into.add(ns + "/" + redis.passwordSecretRef.name);
    }
    if (dp.getSpec().listeners != null) {
      for (Listener l : dp.getSpec().listeners) {
        if (l != null && l.tls != null && l.tls.certificateRefs != null) {
          for (SecretRef ref : l.tls.certificateRefs) {
            into.add(ns + "/" + ref.name);
          }
        }
      }
    }
    security(dp, into);
  }

  /** Adds the Secrets the DataPlane's default security names. */
  public static void security(DataPlane dp, Set<String> into) {
    if (dp.getSpec() != null) {
      add(dp.getSpec().security, dp.getMetadata(), into);
    }
  }

  /** Adds the Secrets the route's security blocks (route-level and per rule) name. */
  public static void security(GatewayRoute route, Set<String> into) {
    if (route.getSpec() == null) {
      return;
    }
    add(route.getSpec().security, route.getMetadata(), into);
    if (route.getSpec().rules != null) {
      for (RouteRule rule : route.getSpec().rules) {
        if (rule != null) {
          add(rule.security, route.getMetadata(), into);
        }
      }
    }
  }

  private static void add(SecurityPolicy p, ObjectMeta owner, Set<String> into) {
    if (p == null) {
      return;
    }
    String ns = owner.getNamespace() == null ? "" : owner.getNamespace();
    if (p.jwt != null && p.jwt.issuers != null) {
      for (JwtIssuer i : p.jwt.issuers) {
        if (i != null && i.jwksSecretRef != null) {
          into.add(ns + "/" + i.jwksSecretRef.name);
        }
      }
    }
    if (p.apiKey != null && p.apiKey.secretRefs != null) {
      p.apiKey.secretRefs.forEach(r -> into.add(ns + "/" + r.name));
    }
    if (p.basic != null && p.basic.secretRef != null) {
      into.add(ns + "/" + p.basic.secretRef.name);
    }
  }
}
