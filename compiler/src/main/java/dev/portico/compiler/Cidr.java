package dev.portico.compiler;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** CIDR syntax for access rules: checked and normalized here, matched by the data plane. */
final class Cidr {
  private static final Pattern LITERAL = Pattern.compile("^[0-9a-fA-F:.]+$");

  private Cidr() {}

  /** Null when {@code text} is a valid IPv4 or IPv6 CIDR (or bare address), else why not. */
  static String problem(String text) {
    if (text == null) {
      return "is empty";
    }
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    byte[] bytes = parse(address);
    if (bytes == null) {
      return "'" + text + "' is not an IPv4 or IPv6 address or CIDR";
    }
    if (slash >= 0) {
      int max = bytes.length * 8;
      try {
        int prefix = Integer.parseInt(text.substring(slash + 1));
        if (prefix < 0 || prefix > max) {
          return "'" + text + "' has a prefix length above " + max;
        }
      } catch (NumberFormatException e) {
        return "'" + text + "' has no valid prefix length";
      }
    }
    return null;
  }

  /**
   * The address with its host bits cleared and an explicit prefix: {@code 10.1.2.3/8} to {@code
   * 10.0.0.0/8}.
   */
  static String normalize(String text) {
    int slash = text.indexOf('/');
    byte[] bytes = parse(slash < 0 ? text : text.substring(0, slash));
    int prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
    for (int bit = prefix; bit < bytes.length * 8; bit++) {
      bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    try {
      return InetAddress.getByAddress(bytes).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The address's bytes (4 or 16), or null; literals only, never a name lookup. */
  private static byte[] parse(String address) {
    if (address.isEmpty() || !LITERAL.matcher(address).matches()) {
      return null;
    }
    if (!address.contains(":")) {
      String[] parts = address.split("\\.", -1);
      if (parts.length != 4) {
        return null;
      }
      byte[] out = new byte[4];
      for (int i = 0; i < 4; i++) {
        if (parts[i].isEmpty() || parts[i].length() > 3) {
          return null;
        }
        int v = Integer.parseInt(parts[i]);
        if (v > 255) {
          return null;
        }
        out[i] = (byte) v;
      }
      return out;
    }
    try {
      // Only hex digits, colons and dots got here: no name lookup can happen.
      byte[] out = InetAddress.getByName(address).getAddress();
      return out.length == 16 ? out : null;
    } catch (UnknownHostException | SecurityException e) {
      return null;
    }
  }
}
