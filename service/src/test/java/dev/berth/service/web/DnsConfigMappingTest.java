package dev.berth.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.server.model.DnsConfiguration;
import dev.berth.runtime.DnsConfig;
import dev.berth.service.containergroup.Violation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ACI's dnsConfig rules: IP-address name servers (at least one), domains, resolver options. */
class DnsConfigMappingTest {

  private static List<String> targets(DnsConfiguration given) {
    List<Violation> violations = new ArrayList<>();
    DnsConfig mapped = DnsConfigMapping.dnsConfig(given, violations);
    if (!violations.isEmpty()) {
      assertThat(mapped).isNull();
    }
    return violations.stream().map(Violation::target).toList();
  }

  @Test
  void aWellFormedConfigBecomesTheResolvConf() {
    List<Violation> violations = new ArrayList<>();
    DnsConfig dns =
        DnsConfigMapping.dnsConfig(
            new DnsConfiguration()
                .nameServers(List.of("10.0.0.53", "2001:db8::53", "::ffff:10.0.0.1"))
                .searchDomains("  svc.cluster.local  example.com. ")
                .options("ndots:5 rotate edns0 single-request-reopen"),
            violations);
    assertThat(violations).isEmpty();
    assertThat(dns.resolvConf())
        .isEqualTo(
            "nameserver 10.0.0.53\nnameserver 2001:db8::53\nnameserver ::ffff:10.0.0.1\n"
                + "search svc.cluster.local example.com.\n"
                + "options ndots:5 rotate edns0 single-request-reopen\n");
    assertThat(DnsConfigMapping.dnsConfig(null, violations)).isNull();
  }

  @Test
  void nameServersAreRequired() {
    assertThat(targets(new DnsConfiguration().searchDomains("example.com")))
        .containsExactly("properties.dnsConfig.nameServers");
    assertThat(targets(new DnsConfiguration().nameServers(List.of())))
        .containsExactly("properties.dnsConfig.nameServers");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "dns.example",
        "256.1.1.1",
        "10.0.0",
        "1.2.3.4.5",
        "01.2.3.4x",
        "::g",
        "1:2:3",
        ""
      })
  void aNameServerMustBeAnIpAddress(String server) {
    assertThat(targets(new DnsConfiguration().nameServers(List.of("10.0.0.1", server))))
        .containsExactly("properties.dnsConfig.nameServers[1]");
  }

  @Test
  void badDomainsAndOptionsAreNamed() {
    assertThat(
            targets(
                new DnsConfiguration()
                    .nameServers(List.of("10.0.0.1"))
                    .searchDomains("ok.example -bad.example")
                    .options("ndots=2")))
        .containsExactly("properties.dnsConfig.searchDomains", "properties.dnsConfig.options");
  }
}
