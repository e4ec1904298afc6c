package dev.portico.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Set;

/**
 * A composing rule's action: part requests issued by the data plane and merged, in declaration
 * order, into one JSON response. Limits and defaults are resolved by the compiler.
 *
 * @param parts in declaration order, which is also the merge order
 * @param deadlineMillis the whole composition
 * @param maxConcurrency part requests in flight at once for one client request
 * @param maxPartBytes largest decoded part body
 * @param maxResponseBytes largest merged body
 * @param maxRequestBytes largest client body buffered for the pass-through part
 * @param arrays {@code Replace} or {@code Merge}
 * @param forwardHeaders lower-case names of client headers copied into part requests
 * @param passThroughStatus a required part's 4xx is answered as is
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ComposeConfig(
    List<ComposePartConfig> parts,
    long deadlineMillis,
    int maxConcurrency,
    long maxPartBytes,
    long maxResponseBytes,
    long maxRequestBytes,
    String arrays,
    List<String> forwardHeaders,
    boolean passThroughStatus) {

  /**
   * Headers the gateway sets on part requests itself (proxy headers, request id, framing): never
   * copied from the client, so {@code forwardHeaders} may not name them.
   */
  public static final Set<String> GATEWAY_HEADERS =
      Set.of(
          "host",
          "x-forwarded-for",
          "x-forwarded-proto",
          "x-forwarded-host",
          "forwarded",
          "x-request-id",
          "connection",
          "keep-alive",
          "transfer-encoding",
          "te",
          "trailer",
          "upgrade",
          "proxy-connection",
          "content-length",
          "expect");

  public ComposeConfig {
    parts = Lists.copy(parts);
    forwardHeaders = Lists.copy(forwardHeaders);
  }
}
