package dev.portico.dataplane.compose;

import dev.portico.dataplane.auth.Identity;
import dev.portico.dataplane.auth.IdentityHeaders;
import dev.portico.dataplane.filter.HeaderEditFilter;
import dev.portico.dataplane.proxy.ForwardedHeaders;
import dev.portico.dataplane.proxy.RequestIds;
import dev.portico.snapshot.ComposeConfig;
import dev.portico.snapshot.RequestEdits;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Set;

/**
 * The headers of part requests (identity headers: {@link IdentityHeaders}). Nothing is copied from
 * the client but the composition's allow list; the proxy headers ({@code X-Forwarded-*}, {@code
 * Forwarded}) and the request id are the gateway's own, worked out from the connection and the
 * trusted hops, so a client cannot forge them (the hole behind the APISIX batch-requests CVE). Then
 * the rule's request header edits.
 */
final class PartHeaders {
  /** Never copied from the client, whatever the allow list says (the compiler refuses them). */
  static final Set<String> OWNED = owned();

  private PartHeaders() {}

  /** The headers every part of this request shares. */
  static MultiMap base(
      MultiMap client,
      List<String> allowed,
      ForwardedHeaders forwarded,
      String requestId,
      RequestEdits edits,
      Set<String> stripHeaders,
      Identity identity) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    for (String name : allowed) {
      if (!OWNED.contains(name) && !stripHeaders.contains(name)) {
        List<String> values = client.getAll(name);
        if (!values.isEmpty()) {
          out.add(name, values);
        }
      }
    }
    forwarded.writeTo(out);
    out.set(RequestIds.HEADER, requestId);
    // The gateway's identity headers, never the client's (removed above with the credential).
    IdentityHeaders.apply(out, stripHeaders, identity);
    // Parts are decoded before the merge; gzip is the one encoding this gateway decodes.
    out.set("accept-encoding", "gzip");
    if (!out.contains("accept")) {
      out.set("accept", "application/json");
    }
    if (edits != null) {
      HeaderEditFilter.apply(edits.headers(), out);
    }
    return out;
  }

  /** The part that gets the client's body also gets its Content-Type and a Content-Length. */
  static MultiMap withBody(MultiMap base, String contentType, int length) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap().addAll(base);
    if (contentType != null) {
      out.set("content-type", contentType);
    }
    out.set("content-length", Integer.toString(length));
    return out;
  }

  /** The gateway's own headers, and Accept-Encoding: parts are always asked for gzip or plain. */
  private static Set<String> owned() {
    Set<String> owned = new java.util.HashSet<>(ComposeConfig.GATEWAY_HEADERS);
    owned.add("accept-encoding");
    return Set.copyOf(owned);
  }
}
