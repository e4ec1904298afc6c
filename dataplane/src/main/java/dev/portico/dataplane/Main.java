package dev.portico.dataplane;

import dev.portico.dataplane.cluster.ClusterArgs;
import dev.portico.dataplane.cluster.ClusterMode;
import dev.portico.dataplane.standalone.FolderLoader;
import dev.portico.dataplane.standalone.StandaloneConfigException;
import dev.portico.dataplane.standalone.StandaloneMode;
import dev.portico.demo.DemoBackend;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data plane's command line: {@code standalone} serves a folder of manifests, {@code demo} runs
 * the demo backends. Installs the SIGTERM/SIGINT drain.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  static final String USAGE =
      """
      usage: portico-dataplane standalone --config <dir> [--dataplane ns/name] [--bind 0.0.0.0]
                                          [--admin-port 9901] [--drain-timeout 10s]
             portico-dataplane cluster --dataplane ns/name --operator https://host:port
                                       --operator-ca <pem> --token-file <file> [--replica NAME]
                                       [--bind 0.0.0.0] [--admin-port 9901] [--drain-timeout 10s]
                                       [--last-good-namespace NS --last-good-name PREFIX]
             portico-dataplane demo --serve <name>:<port> [--serve <name>:<port> ...]""";

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      usage("no command");
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "standalone" -> standalone(StandaloneArgs.parse(rest));
      case "cluster" -> cluster(ClusterArgsParser.parse(rest, System.getenv()));
      case "demo" -> DemoBackend.main(rest);
      case "-h", "--help", "help" -> {
        System.out.println(USAGE);
      }
      default -> usage("unknown command " + args[0]);
    }
  }

  private static void standalone(StandaloneArgs a) throws Exception {
    if (!Files.isDirectory(a.config())) {
      usage(a.config() + " is not a folder");
    }
    GatewayRuntime runtime = GatewayRuntime.start(a.bind(), a.adminPort(), a.drainMillis());
    StandaloneMode mode =
        new StandaloneMode(new FolderLoader(a.config(), a.dataPlane()), runtime.gateway);
    LOG.info("admin on {}:{} (/healthz /readyz /metrics)", a.bind(), runtime.admin.port());
    try {
      mode.start(300);
    } catch (StandaloneConfigException e) {
      LOG.error("cannot serve {}: {}", a.config(), e.getMessage());
      runtime.vertx.close();
      System.exit(1);
    }
    runtime.drainOnShutdown(List.of(mode));
  }

  private static void cluster(ClusterArgs a) throws Exception {
    GatewayRuntime runtime = GatewayRuntime.start(a.bind(), a.adminPort(), a.drainMillis());
    KubernetesClient client = new KubernetesClientBuilder().build();
    ClusterMode mode = new ClusterMode(runtime.vertx, a, runtime.gateway, client);
    LOG.info(
        "admin on {}:{}; DataPlane {} from {}",
        a.bind(),
        runtime.admin.port(),
        a.dataPlane(),
        a.operator());
    mode.start();
    runtime.drainOnShutdown(List.of(mode, client));
  }

  static void usage(String problem) {
    System.err.println(problem);
    System.err.println(USAGE);
    System.exit(2);
  }

  /** The options of {@code cluster}; the Deployment the operator creates sets them. */
  static final class ClusterArgsParser {
    private ClusterArgsParser() {}

    static ClusterArgs parse(String[] args, java.util.Map<String, String> env) {
      String dataPlane = env.get("PORTICO_DATAPLANE");
      String operator = null;
      String ca = null;
      String token = null;
      String replica = env.getOrDefault("POD_NAME", env.getOrDefault("HOSTNAME", "replica"));
      String bind = "0.0.0.0";
      int adminPort = 9901;
      long drain = 10_000;
      String lastGoodNamespace = null;
      String lastGoodName = null;
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (i + 1 >= args.length) {
          usage(flag + " needs a value");
        }
        String value = args[++i];
        switch (flag) {
          case "--dataplane" -> dataPlane = value;
          case "--operator" -> operator = value;
          case "--operator-ca" -> ca = value;
          case "--token-file" -> token = value;
          case "--replica" -> replica = value;
          case "--bind" -> bind = value;
          case "--admin-port" -> adminPort = Integer.parseInt(value);
          case "--drain-timeout" -> drain = StandaloneArgs.millis(value);
          case "--last-good-namespace" -> lastGoodNamespace = value;
          case "--last-good-name" -> lastGoodName = value;
          default -> usage("unknown option " + flag);
        }
      }
      if (dataPlane == null || !dataPlane.matches("[a-z0-9][-a-z0-9]*/[a-z0-9][-a-z0-9.]*")) {
        usage("--dataplane namespace/name is required");
      }
      if (operator == null || !operator.startsWith("https://")) {
        usage("--operator https://host:port is required");
      }
      if (ca == null || token == null) {
        usage("--operator-ca and --token-file are required");
      }
      if ((lastGoodNamespace == null) != (lastGoodName == null)) {
        usage("--last-good-namespace and --last-good-name go together");
      }
      return new ClusterArgs(
          dataPlane,
          java.net.URI.create(operator),
          Path.of(ca),
          Path.of(token),
          replica,
          bind,
          adminPort,
          drain,
          lastGoodNamespace,
          lastGoodName);
    }
  }

  /** The options of {@code standalone}. */
  record StandaloneArgs(
      Path config, String dataPlane, String bind, int adminPort, long drainMillis) {
    static StandaloneArgs parse(String[] args) {
      Path config = null;
      String dataPlane = null;
      String bind = "0.0.0.0";
      int adminPort = 9901;
      long drain = 10_000;
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (i + 1 >= args.length) {
          usage(flag + " needs a value");
        }
        String value = args[++i];
        switch (flag) {
          case "--config" -> config = Path.of(value);
          case "--dataplane" -> dataPlane = value;
          case "--bind" -> bind = value;
          case "--admin-port" -> adminPort = Integer.parseInt(value);
          case "--drain-timeout" -> drain = millis(value);
          default -> usage("unknown option " + flag);
        }
      }
      if (config == null) {
        usage("--config is required");
      }
      return new StandaloneArgs(config, dataPlane, bind, adminPort, drain);
    }

    /** {@code 500ms}, {@code 10s}, {@code 1m}. */
    static long millis(String value) {
      if (value.endsWith("ms")) {
        return Long.parseLong(value.substring(0, value.length() - 2));
      }
      long n = Long.parseLong(value.substring(0, value.length() - 1));
      return switch (value.charAt(value.length() - 1)) {
        case 's' -> n * 1000;
        case 'm' -> n * 60_000;
        default -> throw new IllegalArgumentException("not a duration: " + value);
      };
    }
  }
}
