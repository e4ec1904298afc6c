package dev.portico.dataplane.auth;

import io.vertx.core.MultiMap;
import java.util.Map;
import java.util.Set;

/**
 * The headers that tell a backend who called: written by the gateway after authentication, after
 * every client copy of them (and of the rule's claim headers and, unless forwarded, the credential)
 * was removed.
 */
public final class IdentityHeaders {
  /** The API-key consumer or Basic user. */
  public static final String CONSUMER = "x-portico-consumer";

  /** The JWT's {@code sub}. */
  public static final String SUBJECT = "x-portico-subject";

  /** The consumer's groups, comma separated. */
  public static final String GROUPS = "x-portico-groups";

  private IdentityHeaders() {}

  /** Removes what the client may not send on, then adds the identity (null: anonymous). */
  public static void apply(MultiMap out, Set<String> strip, Identity identity) {
    for (String name : strip) {
      out.remove(name);
    }
    if (identity == null || !identity.authenticated()) {
      return;
    }
    if (identity.consumer() != null && Claims.headerValue(identity.consumer()) != null) {
      out.set(CONSUMER, identity.consumer());
    }
    String subject = Claims.headerValue(identity.subject());
    if (subject != null) {
      out.set(SUBJECT, subject);
    }
    if (!identity.groups().isEmpty()) {
      String groups = Claims.headerValue(identity.groups());
      if (groups != null) {
        out.set(GROUPS, groups);
      }
    }
    for (Map.Entry<String, String> h : identity.headers()) {
      out.set(h.getKey(), h.getValue());
    }
  }
}
