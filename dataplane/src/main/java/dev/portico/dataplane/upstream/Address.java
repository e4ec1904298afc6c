package dev.portico.dataplane.upstream;

import java.util.Comparator;

/**
 * The host and port of one endpoint, as discovery reports it (EndpointSlice or static address); the
 * identity under which an endpoint's state survives discovery updates.
 *
 * @param host an IP literal (IPv6 without brackets) or a DNS name
 */
public record Address(String host, int port) implements Comparable<Address> {
  private static final Comparator<Address> ORDER =
      Comparator.comparing(Address::host).thenComparingInt(Address::port);

  public Address {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("endpoint host is empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("endpoint port out of range: " + port);
    }
  }

  /** {@code host:port}, with brackets around an IPv6 literal. */
  public String authority() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }

  /**
   * Sets are kept in this order so that every replica builds the same consistent-hash table from
   * the same addresses, whatever order discovery listed them in.
   */
  @Override
  public int compareTo(Address other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return authority();
  }
}
