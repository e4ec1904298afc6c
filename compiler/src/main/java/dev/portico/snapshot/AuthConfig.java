package dev.portico.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The authentication side of a snapshot: the DataPlane's default security and the key material
 * every rule's security refers to.
 *
 * @param defaults security for rules that set none (the DataPlane's {@code spec.security}), or null
 * @param secrets resolved material, sorted by ref; a ref a rule names but that is missing here did
 *     not resolve, and no credential passes with it
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record AuthConfig(SecurityConfig defaults, List<AuthSecretConfig> secrets) {
  public AuthConfig {
    secrets = Lists.copy(secrets);
  }

  /** Material redacted for views for people. */
  public AuthConfig redacted() {
    return new AuthConfig(defaults, secrets.stream().map(AuthSecretConfig::redacted).toList());
  }
}
