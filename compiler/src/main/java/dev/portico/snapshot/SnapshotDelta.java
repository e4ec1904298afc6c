package dev.portico.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The difference between two snapshots of one DataPlane, sent instead of the whole new snapshot to
 * a replica that runs the older one: an edit among 5,000 routes is a few hundred bytes, not 1.7 MB
 * to encode, send, decode and index. {@link SnapshotDiff} computes it, {@link SnapshotPatch}
 * applies it; patching the base gives a snapshot equal to the target, whose unchanged virtual hosts
 * and rules are the base's own objects.
 *
 * @param proxy the target's proxy settings (small: always sent)
 * @param listeners the target's listeners in order, each with its virtual hosts as patches
 * @param rules rules that are new or changed, sorted by id
 * @param removedRules ids of the base's rules the target no longer has, sorted
 * @param rateLimits the target's limits (few: always sent whole)
 * @param dataPlaneRateLimits the target's DataPlane-wide limit ids
 * @param rateLimitHeaders the target's rate-limit header style
 * @param redis the target's Redis store (small: always sent)
 * @param auth the target's default security and key material (always sent whole)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SnapshotDelta(
    ProxySettingsConfig proxy,
    List<ListenerDelta> listeners,
    List<RuleConfig> rules,
    List<String> removedRules,
    List<RateLimitConfig> rateLimits,
    List<String> dataPlaneRateLimits,
    String rateLimitHeaders,
    RedisConfig redis,
    AuthConfig auth) {

  public SnapshotDelta {
    listeners = Lists.copy(listeners);
    rules = Lists.copy(rules);
    removedRules = Lists.copy(removedRules);
    rateLimits = Lists.copy(rateLimits);
    dataPlaneRateLimits = Lists.copy(dataPlaneRateLimits);
  }

  /**
   * A target listener; its virtual hosts in the target's order. Certificates (KiBs each) are sent
   * only when they differ from those of the base's listener of the same name; a rotated Secret
   * sends them whole.
   *
   * @param sameCertificates the target's certificates are the base listener's: none are sent
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record ListenerDelta(
      String name,
      int port,
      String protocol,
      List<TlsCertificate> certificates,
      boolean sameCertificates,
      List<VirtualHostDelta> virtualHosts) {
    public ListenerDelta {
      certificates = Lists.copy(certificates);
      virtualHosts = Lists.copy(virtualHosts);
    }
  }

  /**
   * A target virtual host. When the base's listener of the same name has a virtual host of the same
   * name, the target's entries are its first {@code keepHead} entries, then {@code routes}, then
   * its last {@code keepTail} entries (an added or removed route is a short middle); otherwise
   * {@code routes} is the whole list and both counts are 0.
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record VirtualHostDelta(
      String hostname, int keepHead, int keepTail, List<RouteEntry> routes) {
    public VirtualHostDelta {
      routes = Lists.copy(routes);
    }
  }
}
