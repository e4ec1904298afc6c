package dev.portico.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server on a free loopback port, for tests: the binary comes from {@code
 * tools/redis/ensure.sh} (installed from the OS packages when missing), never a mock. Nothing is
 * persisted. {@link #stop()} and {@link #start()} simulate an outage on the same port.
 */
public final class RedisServer implements AutoCloseable {
  private final String binary;
  private final int port;
  private final String password;
  private Process process;

  private RedisServer(String binary, int port, String password) {
    this.binary = binary;
    this.port = port;
    this.password = password;
  }

  public static RedisServer start(String password) throws Exception {
    RedisServer server = new RedisServer(ensureBinary(), freePort(), password);
    server.start();
    return server;
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public void start() throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                binary,
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no"));
    if (password != null) {
      cmd.addAll(List.of("--requirepass", password));
    }
    process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(devNull()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!answersPing()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("redis-server did not start on port " + port);
      }
      Thread.sleep(20);
    }
  }

  public void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      process = null;
    }
  }

  /** Sends one command in RESP and returns the first reply line. */
  public String command(String... args) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(2000);
      OutputStream out = s.getOutputStream();
      StringBuilder req = new StringBuilder();
      if (password != null) {
        req.append(resp("AUTH", password));
      }
      req.append(resp(args));
      out.write(req.toString().getBytes(StandardCharsets.UTF_8));
      InputStream in = s.getInputStream();
      String line = readLine(in);
      if (password != null) {
        line = readLine(in); // the AUTH reply came first
      }
      return line;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private boolean answersPing() {
    try {
      String reply = command("PING");
      return reply.equals("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  private static String resp(String... args) {
    StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
    for (String a : args) {
      b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
      b.append(a).append("\r\n");
    }
    return b.toString();
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  private static java.io.File devNull() {
    return new java.io.File("/dev/null");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Runs the project's ensure script (a missing redis-server fails the test, never skips it). */
  private static String ensureBinary() throws Exception {
    Path script = projectRoot().resolve("tools/redis/ensure.sh");
    Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(false).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (p.waitFor() != 0 || out.isEmpty()) {
      throw new IllegalStateException("tools/redis/ensure.sh failed: " + err);
    }
    String[] lines = out.split("\n");
    return lines[lines.length - 1].trim();
  }

  private static Path projectRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("tools/redis/ensure.sh"))) {
        return p;
      }
    }
    throw new IllegalStateException("tools/redis/ensure.sh not found above " + Path.of(""));
  }
}
