package dev.portico.compiler;

import java.util.ArrayList;
import java.util.List;
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
   * 10.0.0.0/8}; IPv6 as lower-case hex groups with the longest zero run as {@code ::}.
   */
  static String normalize(String text) {
    int slash = text.indexOf('/');
    byte[] bytes = parse(slash < 0 ? text : text.substring(0, slash));
    int prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
    for (int bit = prefix; bit < bytes.length * 8; bit++) {
      bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return format(bytes) + "/" + prefix;
  }

  private static String format(byte[] b) {
    if (b.length == 4) {
      return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }

  /** The address's bytes (4 or 16), or null; parsed by hand (the compiler does no I/O). */
  private static byte[] parse(String address) {
    if (address.isEmpty() || !LITERAL.matcher(address).matches()) {
      return null;
    }
    return address.contains(":") ? ipv6(address) : ipv4(address);
  }

  private static byte[] ipv4(String address) {
    String[] parts = address.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        return null;
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  private static byte[] ipv6(String address) {
    int gap = address.indexOf("::");
    if (gap >= 0 && address.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    List<Integer> left = groups(gap < 0 ? address : address.substring(0, gap));
    List<Integer> right = groups(gap < 0 ? "" : address.substring(gap + 2));
    if (left == null || right == null) {
      return null;
    }
    int count = left.size() + right.size();
    if (gap < 0 ? count != 8 : count > 7) {
      return null;
    }
    byte[] out = new byte[16];
    int at = 0;
    for (int g : left) {
      out[at++] = (byte) (g >> 8);
      out[at++] = (byte) g;
    }
    at = 16 - right.size() * 2;
    for (int g : right) {
      out[at++] = (byte) (g >> 8);
      out[at++] = (byte) g;
    }
    return out;
  }

  /** Hex groups separated by colons (a dotted IPv4 last counts as two), or null. */
  private static List<Integer> groups(String text) {
    List<Integer> out = new ArrayList<>();
    if (text.isEmpty()) {
      return out;
    }
    String[] parts = text.split(":", -1);
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (i == parts.length - 1 && p.contains(".")) {
        byte[] v4 = ipv4(p);
        if (v4 == null) {
          return null;
        }
        out.add(((v4[0] & 0xff) << 8) | (v4[1] & 0xff));
        out.add(((v4[2] & 0xff) << 8) | (v4[3] & 0xff));
        continue;
      }
      if (p.isEmpty() || p.length() > 4 || p.contains(".")) {
        return null;
      }
      out.add(Integer.parseInt(p, 16));
    }
    return out;
  }
}
