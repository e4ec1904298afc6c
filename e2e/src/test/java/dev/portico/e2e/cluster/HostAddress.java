package dev.portico.e2e.cluster;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/**
 * A non-loopback IPv4 address of this machine. The API server refuses loopback (and link-local)
 * addresses in EndpointSlices, so backends that tests point slices at listen here instead.
 */
public final class HostAddress {
  private HostAddress() {}

  public static String ipv4() {
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
            return a.getHostAddress();
          }
        }
      }
    } catch (SocketException e) {
      throw new IllegalStateException("cannot list network interfaces", e);
    }
    throw new IllegalStateException(
        "no non-loopback IPv4 address on this machine: EndpointSlices cannot point at loopback");
  }
}
