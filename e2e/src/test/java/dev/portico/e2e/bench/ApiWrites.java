package dev.portico.e2e.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Write requests the API server has served, by verb and resource, read from its {@code
 * apiserver_request_total} metric: what a benchmark phase cost the API server, and whether the
 * operator amplifies one user change into many writes.
 */
final class ApiWrites {
  private static final Pattern VERB = Pattern.compile("verb=\"([A-Z]+)\"");
  private static final Pattern RESOURCE = Pattern.compile("resource=\"([a-z]+)\"");
  private static final Pattern SUBRESOURCE = Pattern.compile("subresource=\"([a-z]*)\"");

  private final Map<String, Double> counts;

  private ApiWrites(Map<String, Double> counts) {
    this.counts = counts;
  }

  static ApiWrites now(KubernetesClient client) {
    Map<String, Double> counts = new TreeMap<>();
    for (String line : client.raw("/metrics").split("\n")) {
      if (!line.startsWith("apiserver_request_total{")) {
        continue;
      }
      Matcher verb = VERB.matcher(line);
      Matcher resource = RESOURCE.matcher(line);
      if (!verb.find() || !resource.find() || READS.matcher(verb.group(1)).matches()) {
        continue;
      }
      Matcher sub = SUBRESOURCE.matcher(line);
      String key =
          verb.group(1)
              + " "
              + resource.group(1)
              + (sub.find() && !sub.group(1).isEmpty() ? "/" + sub.group(1) : "");
      counts.merge(key, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
    }
    return new ApiWrites(counts);
  }

  private static final Pattern READS = Pattern.compile("GET|LIST|WATCH");

  /** "VERB resource=n, ..." for every count that grew since {@code before}. */
  String since(ApiWrites before) {
    StringBuilder out = new StringBuilder();
    counts.forEach(
        (key, value) -> {
          double grown = value - before.counts.getOrDefault(key, 0.0);
          if (grown > 0) {
            out.append(out.length() == 0 ? "" : ", ").append(key).append('=').append((long) grown);
          }
        });
    return out.toString();
  }
}
