package dev.berth.runtime;

import java.util.List;

/**
 * What a container's /etc/resolv.conf says (ACI's dnsConfig): it belongs to whoever owns the
 * network namespace, so only a container with a network of its own carries one; a container that
 * joins another's namespace shares that one's resolv.conf.
 *
 * @param nameServers IP addresses of the DNS servers, at least one
 * @param searchDomains domains tried for a name without dots, in order
 * @param options resolver options ({@code ndots:2}, {@code timeout:1}, ...)
 */
public record DnsConfig(
    List<String> nameServers, List<String> searchDomains, List<String> options) {

  public DnsConfig {
    nameServers = List.copyOf(nameServers);
    searchDomains = searchDomains == null ? List.of() : List.copyOf(searchDomains);
    options = options == null ? List.of() : List.copyOf(options);
    if (nameServers.isEmpty()) {
      throw new IllegalArgumentException("a dnsConfig needs at least one name server");
    }
  }

  /** The file as resolv.conf(5) writes it. */
  public String resolvConf() {
    StringBuilder file = new StringBuilder();
    nameServers.forEach(s -> file.append("nameserver ").append(s).append('\n'));
    if (!searchDomains.isEmpty()) {
      file.append("search ").append(String.join(" ", searchDomains)).append('\n');
    }
    if (!options.isEmpty()) {
      file.append("options ").append(String.join(" ", options)).append('\n');
    }
    return file.toString();
  }
}
