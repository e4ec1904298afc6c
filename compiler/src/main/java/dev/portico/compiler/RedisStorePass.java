package dev.portico.compiler;

import dev.portico.api.common.Conditions.Reasons;
import dev.portico.api.dataplane.RedisStore;
import dev.portico.snapshot.RedisConfig;
import java.util.List;

/**
 * Resolves each DataPlane's {@code spec.redis}: the password Secret must exist in the DataPlane's
 * namespace, carry the {@value CredentialSecret#LABEL} label and hold a {@value #PASSWORD_KEY}.
 * When it cannot be resolved, the problem goes on the DataPlane's {@code ResolvedRefs}, the
 * snapshot has no store, and the policies with Global limits on it say why they are not enforced;
 * routes and Local limits are unaffected.
 */
final class RedisStorePass implements CompilerPass {
  static final String PASSWORD_KEY = "password";

  /** A step that outlasts this counts as a Redis failure. */
  static final long DEFAULT_TIMEOUT_MILLIS = 100;

  @Override
  public void apply(CompilationContext ctx) {
    for (DataPlaneState dp : ctx.dataPlanes.values()) {
      RedisStore redis = dp.resource.getSpec() == null ? null : dp.resource.getSpec().redis;
      if (!dp.accepted() || redis == null) {
        continue;
      }
      String password = null;
      String secretId = null;
      if (redis.passwordSecretRef != null) {
        secretId = dp.key.namespace() + "/" + redis.passwordSecretRef.name;
        CredentialSecret secret = ctx.credentialSecrets.get(secretId);
        String problem = null;
        if (secret == null) {
          problem =
              "is not readable: no Secret of that name in the DataPlane's namespace carries the"
                  + " label "
                  + CredentialSecret.LABEL
                  + " (Portico reads no other Secret)";
        } else if (secret.values().get(PASSWORD_KEY) == null) {
          problem = "has no key '" + PASSWORD_KEY + "'";
        } else {
          password = secret.values().get(PASSWORD_KEY);
        }
        if (problem != null) {
          dp.refProblems.add(
              new Problem(
                  Reasons.INVALID_SECRET_REF, "spec.redis: Secret " + secretId + " " + problem));
          dp.redisProblem = "the password Secret " + secretId + " " + problem;
          continue;
        }
      }
      dp.redis =
          new RedisConfig(
              redis.address,
              redis.database == null ? 0 : redis.database,
              blankToNull(redis.username),
              password,
              secretId,
              Boolean.TRUE.equals(redis.tls),
              redis.timeout == null ? DEFAULT_TIMEOUT_MILLIS : Durations.toMillis(redis.timeout));
    }
  }

  /** What admission checks, repeated for files no API server admitted. */
  static void check(RedisStore redis, List<Problem> problems) {
    if (redis == null) {
      return;
    }
    if (redis.address == null
        || !java.util.regex.Pattern.matches(RedisStore.ADDRESS_PATTERN, redis.address)) {
      problems.add(SpecValidationPass.invalid("spec.redis.address must be host:port"));
    }
    if (redis.timeout != null) {
      try {
        long millis = Durations.toMillis(redis.timeout);
        if (millis < 1) {
          problems.add(SpecValidationPass.invalid("spec.redis.timeout must be at least 1ms"));
        }
      } catch (IllegalArgumentException e) {
        problems.add(SpecValidationPass.invalid("spec.redis.timeout: " + e.getMessage()));
      }
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
