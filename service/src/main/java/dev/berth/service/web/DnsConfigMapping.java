package dev.berth.service.web;

import dev.berth.api.server.model.DnsConfiguration;
import dev.berth.runtime.DnsConfig;
import dev.berth.service.containergroup.Violation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** ACI's dnsConfig: name servers (IP addresses, at least one), search domains and options. */
final class DnsConfigMapping {

  private static final String TARGET = "properties.dnsConfig";
  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+");
  private static final Pattern DOMAIN =
      Pattern.compile(
          "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
  private static final Pattern OPTION = Pattern.compile("[a-z][a-z0-9-]*(:\\d{1,2})?");

  private DnsConfigMapping() {}

  /** The group's resolv.conf, or null without a dnsConfig; each rule broken is a violation. */
  static DnsConfig dnsConfig(DnsConfiguration given, List<Violation> violations) {
    if (given == null) {
      return null;
    }
    int before = violations.size();
    List<String> servers = Nulls.list(given.getNameServers());
    if (servers.isEmpty()) {
      violations.add(
          new Violation(
              "InvalidDnsConfig",
              "dnsConfig.nameServers is required: at least one IP address of a DNS server.",
              TARGET + ".nameServers"));
    }
    for (int i = 0; i < servers.size(); i++) {
      if (!isIpAddress(servers.get(i))) {
        violations.add(
            new Violation(
                "InvalidDnsConfig",
                "dnsConfig.nameServers["
                    + i
                    + "] must be an IPv4 or IPv6 address; '"
                    + servers.get(i)
                    + "' is not.",
                TARGET + ".nameServers[" + i + "]"));
      }
    }
    List<String> domains = words(given.getSearchDomains());
    for (String domain : domains) {
      if (domain.length() > 253 || !DOMAIN.matcher(domain).matches()) {
        violations.add(
            new Violation(
                "InvalidDnsConfig",
                "dnsConfig.searchDomains holds '" + domain + "', which is not a domain name.",
                TARGET + ".searchDomains"));
      }
    }
    List<String> options = words(given.getOptions());
    for (String option : options) {
      if (!OPTION.matcher(option).matches()) {
        violations.add(
            new Violation(
                "InvalidDnsConfig",
                "dnsConfig.options holds '"
                    + option
                    + "', which is not a resolver option (name or name:number, e.g. ndots:2).",
                TARGET + ".options"));
      }
    }
    if (violations.size() > before) {
      return null;
    }
    return new DnsConfig(servers, domains, options);
  }

  private static List<String> words(String spaced) {
    if (spaced == null || spaced.isBlank()) {
      return List.of();
    }
    return new ArrayList<>(Arrays.asList(spaced.trim().split("\\s+")));
  }

  private static boolean isIpAddress(String value) {
    if (value == null) {
      return false;
    }
    if (IPV4.matcher(value).matches()) {
      return true;
    }
    // Only hex digits, ':' and '.' with a ':': a literal, parsed without a name lookup.
    if (!value.contains(":") || !IPV6_CHARACTERS.matcher(value).matches()) {
      return false;
    }
    try {
      // An IPv4-mapped literal (::ffff:10.0.0.1) comes back as an Inet4Address: still an address.
      java.net.InetAddress.getByName(value);
      return true;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
