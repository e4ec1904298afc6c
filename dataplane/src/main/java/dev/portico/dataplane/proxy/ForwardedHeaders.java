package dev.portico.dataplane.proxy;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides the client address from the connection and the trusted part of {@code X-Forwarded-For},
 * and writes the proxy headers a backend receives: {@code X-Forwarded-For}, {@code -Proto}, {@code
 * -Host} and {@code Forwarded}.
 *
 * <p>With {@code trustedHops} = n, the last n entries of the incoming X-Forwarded-For were written
 * by proxies we trust; anything to their left was written by the client and may be forged. So the
 * client address is the n-th entry from the right (the peer itself when n = 0 or the header is
 * shorter), and only the trusted entries are passed on: a forged prefix never reaches a backend
 * that might read the leftmost entry.
 */
public final class ForwardedHeaders {
  /** The names this class owns in the upstream request; copied headers skip them. */
  public static final Set<String> NAMES =
      Set.of("x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "forwarded");

  private final String clientAddress;
  private final List<String> chain;
  private final String proto;
  private final String host;

  private ForwardedHeaders(String clientAddress, List<String> chain, String proto, String host) {
    this.clientAddress = clientAddress;
    this.chain = chain;
    this.proto = proto;
    this.host = host;
  }

  /**
   * @param peer the address of the TCP peer
   * @param scheme the scheme the request arrived with on our listener
   * @param host the request's Host / :authority
   */
  public static ForwardedHeaders of(
      MultiMap incoming, String peer, String scheme, String host, int trustedHops) {
    List<String> trusted = new ArrayList<>();
    if (trustedHops > 0) {
      List<String> given = entries(incoming.getAll("x-forwarded-for"));
      int from = Math.max(0, given.size() - trustedHops);
      trusted.addAll(given.subList(from, given.size()));
    }
    String client = trusted.isEmpty() ? peer : trusted.get(0);
    trusted.add(peer);
    String proto = scheme;
    String fwdHost = host;
    if (trustedHops > 0) {
      // A trusted proxy in front terminated the client's connection: its view wins.
      String p = incoming.get("x-forwarded-proto");
      if (p != null && (p.equals("http") || p.equals("https"))) {
        proto = p;
      }
      String h = incoming.get("x-forwarded-host");
      if (h != null && !h.isEmpty()) {
        fwdHost = h;
      }
    }
    return new ForwardedHeaders(client, trusted, proto, fwdHost);
  }

  /** The address policies and logs use; never taken from an untrusted header. */
  public String clientAddress() {
    return clientAddress;
  }

  public String proto() {
    return proto;
  }

  /** Sets the proxy headers on the upstream request's headers. */
  public void writeTo(MultiMap upstream) {
    upstream.set("x-forwarded-for", String.join(", ", chain));
    upstream.set("x-forwarded-proto", proto);
    if (host != null) {
      upstream.set("x-forwarded-host", host);
    }
    StringBuilder forwarded = new StringBuilder();
    for (int i = 0; i < chain.size(); i++) {
      if (i > 0) {
        forwarded.append(", ");
      }
      forwarded.append("for=").append(node(chain.get(i)));
    }
    forwarded.append(";proto=").append(proto);
    if (host != null && isToken(host)) {
      forwarded.append(";host=").append(host);
    } else if (host != null) {
      forwarded.append(";host=\"").append(host.replace("\"", "")).append('"');
    }
    upstream.set("forwarded", forwarded.toString());
  }

  /** RFC 7239 node: IPv6 in brackets and quotes, anything unusual quoted. */
  private static String node(String address) {
    if (address.indexOf(':') >= 0) {
      String bare = address.startsWith("[") ? address : "[" + address + "]";
      return "\"" + bare + "\"";
    }
    return isToken(address) ? address : "\"" + address.replace("\"", "") + "\"";
  }

  private static boolean isToken(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_')) {
        return false;
      }
    }
    return !s.isEmpty();
  }

  private static List<String> entries(List<String> headerValues) {
    List<String> out = new ArrayList<>();
    for (String v : headerValues) {
      for (String part : v.split(",")) {
        String p = part.trim();
        if (!p.isEmpty()) {
          out.add(p);
        }
      }
    }
    return out;
  }
}
