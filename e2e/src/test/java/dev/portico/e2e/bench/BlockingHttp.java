package dev.portico.e2e.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's HTTP client: one blocking HTTP/1.1 GET on the calling thread, over the JDK's
 * keep-alive connection cache. The JDK's {@code java.net.http} client hands every request between
 * its caller, its selector thread and a worker pool; on two shared cores each hand-off waits for a
 * core, and the request that found a new route served took 2.4-5.7 ms at the median (and its
 * threads 10 ms of CPU per new route): the instrument, not the gateway. Most callers of a gateway
 * speak HTTP/1.1, so this one does too.
 */
final class BlockingHttp {
  record Response(int status, String body, Map<String, List<String>> headers) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream())
          .findFirst()
          .orElse("");
    }
  }

  private BlockingHttp() {}

  static Response get(int port, String path) throws IOException {
    HttpURLConnection connection =
        (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
    connection.setConnectTimeout(2_000);
    connection.setReadTimeout(5_000);
    int status = connection.getResponseCode();
    // Read to the end and close, so the connection goes back to the keep-alive cache.
    try (InputStream in =
        status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
      String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new Response(status, body, connection.getHeaderFields());
    }
  }
}
