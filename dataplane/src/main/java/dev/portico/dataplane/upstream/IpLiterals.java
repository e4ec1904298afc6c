package dev.portico.dataplane.upstream;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Recognizes IP literals so that connecting to an endpoint never waits for a name lookup. */
final class IpLiterals {
  private IpLiterals() {}

  static boolean isLiteral(String host) {
    return NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host);
  }

  /** Parses a literal without any lookup (the bytes are given, so none happens). */
  static InetAddress parse(String literal) {
    try {
      return InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(literal));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
