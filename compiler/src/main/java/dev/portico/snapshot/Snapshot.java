package dev.portico.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one DataPlane serves, versioned by a content hash of all other fields.
 *
 * @param dataPlane {@code namespace/name} of the DataPlane
 * @param version hex SHA-256 of the snapshot's canonical JSON with an empty version
 * @param proxy limits, client-address trust and default timeouts for every route
 * @param listeners ports with their virtual hosts, sorted by port
 * @param rules every rule some virtual host refers to, sorted by id
 * @param rateLimits every limit some rule or the DataPlane refers to, sorted by id
 * @param dataPlaneRateLimits ids of limits that apply to every request of this DataPlane
 * @param rateLimitHeaders Draft, XRateLimit or None: the fields limited routes answer with; null
 *     when the snapshot has no limits
 * @param redis where Global limits count, or null: then they decide by their failure policy
 * @param auth the DataPlane's default security and the key material rules refer to, or null
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"dataPlane", "version", "proxy", "listeners", "rules", "rateLimits"})
public record Snapshot(
    String dataPlane,
    String version,
    ProxySettingsConfig proxy,
    List<ListenerConfig> listeners,
    List<RuleConfig> rules,
    List<RateLimitConfig> rateLimits,
    List<String> dataPlaneRateLimits,
    String rateLimitHeaders,
    RedisConfig redis,
    AuthConfig auth) {

  public Snapshot {
    listeners = Lists.copy(listeners);
    rules = Lists.copy(rules);
    rateLimits = Lists.copy(rateLimits);
    dataPlaneRateLimits = Lists.copy(dataPlaneRateLimits);
  }

  /**
   * The same snapshot with every private key and password replaced by {@link
   * TlsCertificate#REDACTED}: what views for people (the admin port, {@code translate}) show.
   */
  public Snapshot redacted() {
    List<ListenerConfig> shown = new ArrayList<>(listeners.size());
    for (ListenerConfig l : listeners) {
      List<TlsCertificate> certificates =
          l.certificates().stream().map(TlsCertificate::redacted).toList();
      shown.add(
          new ListenerConfig(l.name(), l.port(), l.protocol(), certificates, l.virtualHosts()));
    }
    return new Snapshot(
        dataPlane,
        version,
        proxy,
        shown,
        rules,
        rateLimits,
        dataPlaneRateLimits,
        rateLimitHeaders,
        redis == null ? null : redis.redacted(),
        auth == null ? null : auth.redacted());
  }

  /** The same snapshot with another version; used once the content hash is known. */
  public Snapshot withVersion(String newVersion) {
    return new Snapshot(
        dataPlane,
        newVersion,
        proxy,
        listeners,
        rules,
        rateLimits,
        dataPlaneRateLimits,
        rateLimitHeaders,
        redis,
        auth);
  }
}
