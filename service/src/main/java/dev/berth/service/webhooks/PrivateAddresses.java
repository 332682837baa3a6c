package dev.berth.service.webhooks;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Whether a webhook's host is on the control plane's own networks: loopback, link-local (cloud
 * metadata at 169.254.169.254 among them), private (RFC 1918, IPv6 unique local), unspecified or
 * multicast. Unless the operator allows them (berth.webhooks.allow-private-addresses), a tenant's
 * webhook may not reach those, nor probe them through the delivery log.
 */
public final class PrivateAddresses {

  private PrivateAddresses() {}

  /** True when any address the host resolves to is private; false when it does not resolve. */
  public static boolean isPrivate(String host) {
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (isPrivate(a)) {
          return true;
        }
      }
      return false;
    } catch (UnknownHostException unresolved) {
      return false; // nothing to reach; delivery fails on its own
    }
  }

  static boolean isPrivate(InetAddress a) {
    if (a.isLoopbackAddress()
        || a.isLinkLocalAddress()
        || a.isSiteLocalAddress()
        || a.isAnyLocalAddress()
        || a.isMulticastAddress()) {
      return true;
    }
    // IPv6 unique local addresses, fc00::/7 (InetAddress knows only the old site-local fec0::/10).
    return a instanceof Inet6Address && (a.getAddress()[0] & 0xfe) == 0xfc;
  }
}
