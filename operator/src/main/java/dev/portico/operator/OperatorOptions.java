package dev.portico.operator;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the operator is told at start: flags, with environment variables from the Deployment.
 *
 * @param watchNamespaces empty means all namespaces
 * @param operatorAddress {@code https://host:port} of the snapshot channel, given to data planes
 * @param channelPort the snapshot channel's HTTPS port; negative disables distribution (status then
 *     reports publication only: for tests and dry runs without data planes)
 * @param channelNamespace where the channel CA's Secret lives; null keeps the CA in memory only
 * @param leaseNamespace where the leader-election Lease lives; null disables leader election
 * @param identity this replica's name in the Lease
 * @param serverSideApply patch status and workloads with server-side apply (always, against a real
 *     API server; the Fabric8 mock server does not implement it)
 */
public record OperatorOptions(
    Set<String> watchNamespaces,
    int adminPort,
    String dataPlaneImage,
    String operatorAddress,
    int channelPort,
    String channelNamespace,
    Duration holdOff,
    Duration maxDelay,
    String leaseNamespace,
    String identity,
    boolean serverSideApply) {
  public static final String DEFAULT_IMAGE = "ghcr.io/portico-dev/portico-dataplane:0.1.0";
  public static final int DEFAULT_CHANNEL_PORT = 9090;
  static final String USAGE =
      """
      usage: portico-operator [--watch-namespaces a,b] [--admin-port 8081]
                              [--dataplane-image IMAGE] [--operator-address https://HOST:PORT]
                              [--channel-port 9090 | -1] [--channel-namespace NS]
                              [--compile-hold-off 100ms] [--compile-max-delay 1s]
                              [--leader-election-namespace NS | --no-leader-election]
                              [--identity NAME]
      env: POD_NAMESPACE (lease and channel CA namespace by default), POD_NAME (leader identity)
      """;

  public OperatorOptions {
    watchNamespaces = Set.copyOf(watchNamespaces);
  }

  /** Defaults suited to tests: no leader election, no channel, ephemeral admin port. */
  public static OperatorOptions forTests() {
    return new OperatorOptions(
        Set.of(),
        0,
        DEFAULT_IMAGE,
        "https://portico-operator-channel.portico-system.svc:9090",
        -1,
        null,
        Duration.ofMillis(50),
        Duration.ofMillis(500),
        null,
        "test",
        true);
  }

  /** For the Fabric8 mock server, which does not implement server-side apply. */
  public OperatorOptions withoutServerSideApply() {
    return new OperatorOptions(
        watchNamespaces,
        adminPort,
        dataPlaneImage,
        operatorAddress,
        channelPort,
        channelNamespace,
        holdOff,
        maxDelay,
        leaseNamespace,
        identity,
        false);
  }

  public OperatorOptions withWatchNamespaces(Set<String> namespaces) {
    return new OperatorOptions(
        namespaces,
        adminPort,
        dataPlaneImage,
        operatorAddress,
        channelPort,
        channelNamespace,
        holdOff,
        maxDelay,
        leaseNamespace,
        identity,
        serverSideApply);
  }

  /** The snapshot channel on a port (0 = any free one), with an in-memory CA. */
  public OperatorOptions withChannel(int port) {
    return new OperatorOptions(
        watchNamespaces,
        adminPort,
        dataPlaneImage,
        operatorAddress,
        port,
        channelNamespace,
        holdOff,
        maxDelay,
        leaseNamespace,
        identity,
        serverSideApply);
  }

  static OperatorOptions parse(String[] args, Map<String, String> env) {
    Set<String> namespaces = new LinkedHashSet<>();
    int adminPort = 8081;
    String image = DEFAULT_IMAGE;
    String podNamespace = env.getOrDefault("POD_NAMESPACE", "portico-system");
    String address = null;
    int channelPort = DEFAULT_CHANNEL_PORT;
    String channelNamespace = podNamespace;
    Duration holdOff = Duration.ofMillis(100);
    Duration maxDelay = Duration.ofSeconds(1);
    String lease = podNamespace;
    String identity = env.getOrDefault("POD_NAME", hostname());
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--no-leader-election")) {
        lease = null;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value for " + flag + "\n" + USAGE);
      }
      String value = args[++i];
      switch (flag) {
        case "--watch-namespaces" -> {
          for (String ns : value.split(",")) {
            if (!ns.isBlank()) {
              namespaces.add(ns.trim());
            }
          }
        }
        case "--admin-port" -> adminPort = Integer.parseInt(value);
        case "--dataplane-image" -> image = value;
        case "--operator-address" -> address = value;
        case "--channel-port" -> channelPort = Integer.parseInt(value);
        case "--channel-namespace" -> channelNamespace = value;
        case "--compile-hold-off" -> holdOff = duration(value);
        case "--compile-max-delay" -> maxDelay = duration(value);
        case "--leader-election-namespace" -> lease = value;
        case "--identity" -> identity = value;
        default -> throw new IllegalArgumentException("unknown flag " + flag + "\n" + USAGE);
      }
    }
    if (address == null) {
      // The channel Service selects only the leader pod (see LeaderPodLabel).
      address = "https://portico-operator-channel." + podNamespace + ".svc:" + channelPort;
    }
    return new OperatorOptions(
        namespaces,
        adminPort,
        image,
        address,
        channelPort,
        channelNamespace,
        holdOff,
        maxDelay,
        lease,
        identity,
        true);
  }

  static Duration duration(String value) {
    if (value.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
    }
    if (value.endsWith("s")) {
      return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
    }
    throw new IllegalArgumentException("duration must end in ms or s: " + value);
  }

  private static String hostname() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "portico-operator-" + ProcessHandle.current().pid();
    }
  }
}
