package dev.portico.compiler;

import dev.portico.api.dataplane.DataPlane;
import dev.portico.api.ratelimit.RateLimitPolicy;
import dev.portico.api.route.GatewayRoute;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import java.util.List;

/**
 * The compiler's input: every object that can change a snapshot or a verdict.
 *
 * @param tlsSecrets the Secrets DataPlane listeners refer to for certificates (others may be left
 *     out: they change nothing)
 * @param credentialSecrets Secrets labelled {@value CredentialSecret#LABEL}, such as Redis
 *     passwords (others may be left out)
 */
public record ResourceBundle(
    List<DataPlane> dataPlanes,
    List<GatewayRoute> routes,
    List<RateLimitPolicy> rateLimitPolicies,
    List<Service> services,
    List<Namespace> namespaces,
    List<ReferenceGrant> referenceGrants,
    List<TlsSecret> tlsSecrets,
    List<CredentialSecret> credentialSecrets) {

  public ResourceBundle {
    dataPlanes = List.copyOf(dataPlanes);
    routes = List.copyOf(routes);
    rateLimitPolicies = List.copyOf(rateLimitPolicies);
    services = List.copyOf(services);
    namespaces = List.copyOf(namespaces);
    referenceGrants = List.copyOf(referenceGrants);
    tlsSecrets = List.copyOf(tlsSecrets);
    credentialSecrets = List.copyOf(credentialSecrets);
  }
}
