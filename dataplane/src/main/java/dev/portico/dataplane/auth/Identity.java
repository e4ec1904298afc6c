package dev.portico.dataplane.auth;

import java.util.List;
import java.util.Map;

/**
 * Who the gateway established the caller to be. Backends learn it from the identity headers the
 * gateway writes ({@link IdentityHeaders}), never from anything the client sent.
 *
 * @param method {@code jwt}, {@code apikey}, {@code basic}, or null for an anonymous caller
 * @param subject the JWT's {@code sub}, or null
 * @param consumer the API-key consumer or Basic user, or null
 * @param groups the consumer's groups
 * @param claims the verified JWT claims (empty otherwise)
 * @param headers claim headers to send, lower-case name to value
 */
public record Identity(
    String method,
    String subject,
    String consumer,
    List<String> groups,
    Map<String, Object> claims,
    List<Map.Entry<String, String>> headers) {

  /** A caller without credentials, let through by {@code allowAnonymous}. */
  public static final Identity ANONYMOUS =
      new Identity(null, null, null, List.of(), Map.of(), List.of());

  public boolean authenticated() {
    return method != null;
  }

  @Override
  public String toString() {
    return "Identity[" + method + ", subject=" + subject + ", consumer=" + consumer + "]";
  }
}
