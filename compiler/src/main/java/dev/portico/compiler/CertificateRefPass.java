package dev.portico.compiler;

import dev.portico.api.common.Conditions.Reasons;
import dev.portico.api.dataplane.Listener;
import dev.portico.api.dataplane.SecretRef;
import dev.portico.compiler.tls.InvalidTlsMaterialException;
import dev.portico.compiler.tls.PemKeyPair;
import dev.portico.snapshot.TlsCertificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves each HTTPS listener's {@code certificateRefs} to certificates: a Secret that is missing,
 * of another type, unreadable, or whose key does not match its certificate is a problem on the
 * DataPlane's {@code ResolvedRefs} and is left out. A listener left without any certificate is not
 * served (Gateway API listener semantics); the DataPlane's other listeners are unaffected.
 *
 * <p>Parsing a key and checking it against its certificate costs a signature; results are kept
 * across compiles while the Secret's bytes stay the same, so an unrelated route edit costs none.
 */
final class CertificateRefPass implements CompilerPass {
  /** A Secret's bytes and what they gave: a pair, or the reason they cannot be served. */
  private record Parsed(byte[] certificate, byte[] key, PemKeyPair pair, String problem) {}

  private Map<String, Parsed> parsed = new HashMap<>();

  @Override
  public void apply(CompilationContext ctx) {
    Map<String, Parsed> next = new HashMap<>();
    for (DataPlaneState dp : ctx.dataPlanes.values()) {
      if (!dp.accepted()) {
        continue;
      }
      for (Listener l : dp.resource.getSpec().listeners) {
        if (l.tls == null || l.tls.certificateRefs == null) {
          continue;
        }
        dp.hasCertificateRefs = true;
        List<TlsCertificate> certificates = new ArrayList<>();
        for (SecretRef ref : l.tls.certificateRefs) {
          String id = dp.key.namespace() + "/" + ref.name;
          String problem = problem(ctx.tlsSecrets.get(id), id, next);
          if (problem == null) {
            PemKeyPair pair = next.get(id).pair();
            certificates.add(
                new TlsCertificate(id, pair.certificateChainPem(), pair.privateKeyPem()));
          } else {
            dp.refProblems.add(
                new Problem(
                    Reasons.INVALID_CERTIFICATE_REF,
                    "listener " + l.name + ": Secret " + id + " " + problem));
          }
        }
        if (certificates.isEmpty()) {
          dp.refProblems.add(
              new Problem(
                  Reasons.INVALID_CERTIFICATE_REF,
                  "listener "
                      + l.name
                      + " has no usable certificate and is not served until one is fixed"));
        } else {
          dp.certificates.put(l.name, certificates);
        }
      }
    }
    parsed = next;
  }

  /** Null when the Secret can be served; then {@code next} holds its pair under {@code id}. */
  private String problem(TlsSecret secret, String id, Map<String, Parsed> next) {
    if (secret == null) {
      return "was not found; create a Secret of type "
          + TlsSecret.TYPE
          + " with tls.crt and tls.key in the DataPlane's namespace";
    }
    if (!TlsSecret.TYPE.equals(secret.type())) {
      return "has type "
          + secret.type()
          + "; certificates are read only from Secrets of type "
          + TlsSecret.TYPE;
    }
    if (secret.certificate() == null || secret.privateKey() == null) {
      return "lacks "
          + (secret.certificate() == null ? TlsSecret.CERTIFICATE_KEY : TlsSecret.PRIVATE_KEY_KEY)
          + "; a "
          + TlsSecret.TYPE
          + " Secret needs both tls.crt and tls.key";
    }
    Parsed before = next.containsKey(id) ? next.get(id) : parsed.get(id);
    if (before == null
        || !Arrays.equals(before.certificate(), secret.certificate())
        || !Arrays.equals(before.key(), secret.privateKey())) {
      before = parse(secret);
    }
    next.put(id, before);
    return before.problem();
  }

  private static Parsed parse(TlsSecret secret) {
    try {
      PemKeyPair pair = PemKeyPair.parse(secret.certificate(), secret.privateKey());
      return new Parsed(secret.certificate(), secret.privateKey(), pair, null);
    } catch (InvalidTlsMaterialException e) {
      return new Parsed(secret.certificate(), secret.privateKey(), null, e.getMessage());
    }
  }
}
