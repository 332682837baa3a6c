package dev.berth.service.web;

import dev.berth.api.server.model.Container;
import dev.berth.api.server.model.ContainerPort;
import dev.berth.api.server.model.IpAddress;
import dev.berth.api.server.model.Port;
import dev.berth.service.containergroup.PublishedPort;
import dev.berth.service.containergroup.Violation;
import java.util.ArrayList;
import java.util.List;

/** ACI's ipAddress: the group's published ports and DNS label. */
final class IpAddressMapping {

  private IpAddressMapping() {}

  private static final java.util.regex.Pattern DNS_LABEL =
      java.util.regex.Pattern.compile("[a-z][a-z0-9-]{1,61}[a-z0-9]");

  /** ACI's ipAddress: each port must be one a container declares; TCP or UDP; a DNS label. */
  static List<PublishedPort> ipAddress(
      IpAddress ip, List<Container> containers, List<Violation> violations) {
    if (ip == null) {
      return List.of();
    }
    if (ip.getType() != null
        && !ip.getType().equalsIgnoreCase("Public")
        && !ip.getType().equalsIgnoreCase("Private")) {
      violations.add(
          new Violation(
              "InvalidIpAddressType",
              "ipAddress.type must be Public or Private.",
              "properties.ipAddress.type"));
    }
    List<Port> ports = Nulls.list(ip.getPorts());
    if (ports.isEmpty()) {
      violations.add(
          new Violation(
              "InvalidIpAddressPorts",
              "ipAddress.ports must list at least one port.",
              "properties.ipAddress.ports"));
    }
    java.util.Set<Integer> declared = new java.util.HashSet<>();
    for (Container c : containers) {
      if (c != null && c.getProperties() != null) {
        Nulls.list(c.getProperties().getPorts()).stream()
            .filter(java.util.Objects::nonNull)
            .map(ContainerPort::getPort)
            .forEach(declared::add);
      }
    }
    List<PublishedPort> published = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      Port port = ports.get(i);
      String target = "properties.ipAddress.ports[" + i + "]";
      if (port == null || port.getPort() == null || port.getPort() < 1 || port.getPort() > 65535) {
        violations.add(
            new Violation(
                "InvalidIpAddressPorts", "port must be between 1 and 65535.", target + ".port"));
        continue;
      }
      String protocol =
          port.getProtocol() == null
              ? "TCP"
              : port.getProtocol().toUpperCase(java.util.Locale.ROOT);
      if (!protocol.equals("TCP") && !protocol.equals("UDP")) {
        violations.add(
            new Violation(
                "InvalidIpAddressPorts", "protocol must be TCP or UDP.", target + ".protocol"));
        continue;
      }
      if (!declared.contains(port.getPort())) {
        violations.add(
            new Violation(
                "InvalidIpAddressPorts",
                "ipAddress port " + port.getPort() + " must be one of the containers' ports.",
                target + ".port"));
        continue;
      }
      if (!seen.add(port.getPort() + "/" + protocol)) {
        violations.add(
            new Violation(
                "InvalidIpAddressPorts",
                "port " + port.getPort() + "/" + protocol + " is listed twice.",
                target));
        continue;
      }
      published.add(new PublishedPort(port.getPort(), protocol));
    }
    if (ip.getDnsNameLabel() != null && !DNS_LABEL.matcher(ip.getDnsNameLabel()).matches()) {
      violations.add(
          new Violation(
              "InvalidDnsNameLabel",
              "dnsNameLabel must be 3-63 lowercase letters, digits or '-', starting with a letter.",
              "properties.ipAddress.dnsNameLabel"));
    }
    return published;
  }
}
