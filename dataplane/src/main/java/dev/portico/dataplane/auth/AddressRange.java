package dev.portico.dataplane.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** A CIDR from the snapshot (already normalized by the compiler), matched against IP literals. */
final class AddressRange {
  private final byte[] network;
  private final int prefix;

  private AddressRange(byte[] network, int prefix) {
    this.network = network;
    this.prefix = prefix;
  }

  static AddressRange of(String cidr) {
    int slash = cidr.indexOf('/');
    byte[] bytes = literal(slash < 0 ? cidr : cidr.substring(0, slash));
    if (bytes == null) {
      throw new IllegalArgumentException("not a CIDR: " + cidr);
    }
    int prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
    return new AddressRange(bytes, prefix);
  }

  boolean contains(byte[] address) {
    if (address == null || address.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (address[full] & mask) == (network[full] & mask);
  }

  /**
   * The bytes of an IP literal (IPv4-mapped IPv6 as IPv4, a zone id ignored), or null for anything
   * else; never a name lookup.
   */
  static byte[] literal(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    int zone = text.indexOf('%');
    if (zone >= 0) {
      text = text.substring(0, zone);
    }
    if (text.startsWith("[") && text.endsWith("]")) {
      text = text.substring(1, text.length() - 1);
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok =
          c >= '0' && c <= '9'
              || c >= 'a' && c <= 'f'
              || c >= 'A' && c <= 'F'
              || c == ':'
              || c == '.';
      if (!ok) {
        return null;
      }
    }
    if (text.indexOf(':') < 0 && text.chars().filter(c -> c == '.').count() != 3) {
      return null;
    }
    try {
      // Only hex digits, dots and colons are left: getByName parses, it cannot resolve.
      return InetAddress.getByName(text).getAddress();
    } catch (UnknownHostException | SecurityException e) {
      return null;
    }
  }
}
