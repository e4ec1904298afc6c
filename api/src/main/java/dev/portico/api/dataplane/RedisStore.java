package dev.portico.api.dataplane;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portico.api.common.Duration;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * The Redis server a DataPlane's replicas share Global rate-limit counters through. One primary
 * (standalone Redis, or the primary's Service of a replicated setup); Redis Cluster is not
 * supported, since one request's limits are checked in one atomic script.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisStore {
  /** host:port, a DNS name or IPv4 address; IPv6 in brackets. */
  public static final String ADDRESS_PATTERN =
      "^([a-zA-Z0-9]([-a-zA-Z0-9.]*[a-zA-Z0-9])?|\\[[0-9a-fA-F:.]+\\]):[0-9]{1,5}$";

  @JsonPropertyDescription(
      "host:port of the Redis server, e.g. redis.portico-system.svc:6379. Every replica of the"
          + " DataPlane must reach it.")
  @Required
  @Size(min = 3, max = 260)
  @Pattern(ADDRESS_PATTERN)
  public String address;

  @JsonPropertyDescription("Logical database number (SELECT).")
  @Default("0")
  @Min(0)
  @Max(255)
  public Integer database;

  @JsonPropertyDescription("ACL user name (Redis 6+). Empty: the default user.")
  @Size(max = 128)
  public String username;

  @JsonPropertyDescription(
      "Secret in the DataPlane's namespace holding the password under the key 'password'. The"
          + " Secret must carry the label portico.dev/credential (any value): the operator reads"
          + " no other Secrets. Empty: no AUTH.")
  public SecretRef passwordSecretRef;

  @JsonPropertyDescription(
      "Connect with TLS (rediss://), verifying the server against the data plane's default"
          + " trust store.")
  @Default("false")
  public Boolean tls;

  @JsonPropertyDescription(
      "Longest a rate-limit step may take before it counts as a failure and the limit's"
          + " failurePolicy decides. Default 100ms.")
  @Pattern(Duration.PATTERN)
  public String timeout;
}
