package dev.portico.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The command line of {@link DemoBackend#main}: {@code --serve <name>:<port>} or {@code --name
 * <name> --port <port>}, repeatable, and an optional {@code --host}.
 */
record DemoArgs(String host, List<Service> services) {
  static final String USAGE =
      "usage: DemoBackend [--host 127.0.0.1] (--serve <name>:<port> | --name <name> --port <port>)"
          + "...";
  private static final Set<String> FLAGS = Set.of("--host", "--serve", "--name", "--port");

  /** One service to run. */
  record Service(String name, int port) {}

  /**
   * Parses {@code args}.
   *
   * @throws IllegalArgumentException with a message for the user
   */
  static DemoArgs parse(String... args) {
    String host = "127.0.0.1";
    List<Service> services = new ArrayList<>();
    String pendingName = null;
    for (int i = 0; i < args.length; i += 2) {
      String flag = args[i];
      if (!FLAGS.contains(flag)) {
        throw new IllegalArgumentException("unknown option " + flag);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      String value = args[i + 1];
      switch (flag) {
        case "--host" -> host = value;
        case "--serve" -> {
          int colon = value.lastIndexOf(':');
          if (colon <= 0) {
            throw new IllegalArgumentException("--serve wants <name>:<port>, got " + value);
          }
          services.add(new Service(value.substring(0, colon), port(value.substring(colon + 1))));
        }
        case "--name" -> {
          if (pendingName != null) {
            throw new IllegalArgumentException("--name " + pendingName + " has no --port");
          }
          pendingName = value;
        }
        case "--port" -> {
          if (pendingName == null) {
            throw new IllegalArgumentException("--port must follow --name");
          }
          services.add(new Service(pendingName, port(value)));
          pendingName = null;
        }
        default -> throw new IllegalArgumentException("unknown option " + flag);
      }
    }
    if (pendingName != null) {
      throw new IllegalArgumentException("--name " + pendingName + " has no --port");
    }
    if (services.isEmpty()) {
      throw new IllegalArgumentException("no service to run");
    }
    return new DemoArgs(host, List.copyOf(services));
  }

  private static int port(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("not a port: " + value);
  }
}
