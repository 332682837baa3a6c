package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.sdk.ApiException;
import dev.berth.sdk.api.ContainerGroupsApi;
import dev.berth.sdk.api.ContainersApi;
import dev.berth.sdk.api.LocationApi;
import dev.berth.sdk.api.QuotasApi;
import dev.berth.sdk.model.ContainerExecRequest;
import dev.berth.sdk.model.ContainerGroup;
import dev.berth.sdk.model.DnsConfiguration;
import dev.berth.sdk.model.QuotaOverrides;
import dev.berth.sdk.model.Usage;
import dev.berth.sdk.model.UsageListResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Through the SDK on the real engine: a subscription's use of its quotas in ACI's usages shape,
 * QuotaExceeded (ACI's ContainerGroupQuotaReached in details) past a quota the admin set, and
 * dnsConfig as the containers' /etc/resolv.conf (a lone container's own, and a multi-container
 * group's shared one).
 */
class QuotasAndDnsE2E {

  private final BerthProcess berth = BerthProcess.get();
  private final ContainerGroupsApi api = new ContainerGroupsApi(berth.adminClient());
  private final ContainersApi containers = new ContainersApi(berth.adminClient());
  private final LocationApi location = new LocationApi(berth.adminClient());
  private final QuotasApi quotas = new QuotasApi(berth.adminClient());

  private static Usage usage(UsageListResult result, String name) {
    return result.getValue().stream()
        .filter(u -> u.getName().getValue().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no usage " + name + " in " + result));
  }

  @Test
  void usagesShowTheSubscriptionsUseAndACreatePastTheQuotaIsRefused() throws Exception {
    // A subscription of this test's own: no other test's groups count.
    String sub = Groups.unique("quota");
    quotas.setSubscriptionQuota(sub, new QuotaOverrides().containerGroups(1).standardCores(1));
    try {
      api.containerGroupsCreateOrUpdate(sub, "rg", "one", API_VERSION, Groups.sleeper("Never"));

      UsageListResult used = location.locationListUsage(sub, "local", API_VERSION);
      Usage groups = usage(used, "ContainerGroups");
      assertThat(groups.getName().getLocalizedValue()).isEqualTo("Container Groups");
      assertThat(groups.getUnit()).isEqualTo("Count");
      assertThat(groups.getCurrentValue()).isEqualTo(1);
      assertThat(groups.getLimit()).isEqualTo(1);
      Usage cores = usage(used, "StandardCores");
      assertThat(cores.getCurrentValue()).isEqualTo(1); // 0.1 vCPU, rounded up
      assertThat(cores.getLimit()).isEqualTo(1);

      assertThatThrownBy(
              () ->
                  api.containerGroupsCreateOrUpdate(
                      sub, "rg", "two", API_VERSION, Groups.sleeper("Never")))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.getCode()).isEqualTo(400);
                assertThat(e.getResponseBody())
                    .contains("\"code\":\"QuotaExceeded\"")
                    .contains("\"code\":\"ContainerGroupQuotaReached\"")
                    .contains("quota 'ContainerGroups'")
                    .contains("Limit: '1', Usage: '1'");
              });
      assertThatThrownBy(() -> api.containerGroupsGet(sub, "rg", "two", API_VERSION))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));

      ContainerGroup bigger =
          Groups.group("Never", Groups.container("main", 1.5, 0.0625, "sleep", "3600"));
      assertThatThrownBy(
              () -> api.containerGroupsCreateOrUpdate(sub, "rg", "one", API_VERSION, bigger))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.getCode()).isEqualTo(400);
                assertThat(e.getResponseBody())
                    .contains("quota 'StandardCores'")
                    .contains("Limit: '1', Usage: '0' Requested: '1.5'");
              });

      api.containerGroupsDelete(sub, "rg", "one", API_VERSION);
      assertThat(
              usage(location.locationListUsage(sub, "local", API_VERSION), "ContainerGroups")
                  .getCurrentValue())
          .isZero();
    } finally {
      Groups.deleteQuietly(api, sub, "rg", List.of("one", "two"));
    }
  }

  private String resolvConf(String sub, String group, String container) throws ApiException {
    return containers
        .containersExecuteCommand(
            sub,
            "rg",
            group,
            container,
            API_VERSION,
            new ContainerExecRequest().argv(List.of("cat", "/etc/resolv.conf")))
        .getStdout();
  }

  @Test
  void dnsConfigIsWhatTheContainersResolvConfSays() throws Exception {
    String sub = Groups.unique("dns");
    DnsConfiguration dns =
        new DnsConfiguration()
            .nameServers(List.of("10.53.0.1", "fd00::53"))
            .searchDomains("team.example example")
            .options("ndots:2 timeout:1");
    ContainerGroup lone = Groups.sleeper("Always");
    lone.getProperties().dnsConfig(dns);
    ContainerGroup pair =
        Groups.group(
            "Always",
            Groups.container("a", 0.1, 0.0625, "sleep", "3600"),
            Groups.container("b", 0.1, 0.0625, "sleep", "3600"));
    pair.getProperties().dnsConfig(dns);
    try {
      api.containerGroupsCreateOrUpdate(sub, "rg", "lone", API_VERSION, lone);
      api.containerGroupsCreateOrUpdate(sub, "rg", "pair", API_VERSION, pair);
      Groups.awaitState(api, sub, "rg", "lone", "Running");
      Groups.awaitState(api, sub, "rg", "pair", "Running");

      for (String[] target :
          List.of(
              new String[] {"lone", "main"},
              new String[] {"pair", "a"},
              new String[] {"pair", "b"})) {
        assertThat(resolvConf(sub, target[0], target[1]).lines().map(String::trim))
            .as("%s/%s", target[0], target[1])
            .contains(
                "nameserver 10.53.0.1",
                "nameserver fd00::53",
                "search team.example example",
                "options ndots:2 timeout:1");
      }
      DnsConfiguration echoed =
          api.containerGroupsGet(sub, "rg", "lone", API_VERSION).getProperties().getDnsConfig();
      assertThat(echoed.getNameServers()).containsExactly("10.53.0.1", "fd00::53");
    } finally {
      Groups.deleteQuietly(api, sub, "rg", List.of("lone", "pair"));
    }
  }

  @Test
  void aDnsConfigWithoutNameServersOrWithANameForAnAddressIsRefusedNamingTheField() {
    String sub = Groups.unique("dns");
    for (var bad :
        List.of(
            new Object[] {
              new DnsConfiguration().searchDomains("example"), "properties.dnsConfig.nameServers"
            },
            new Object[] {
              new DnsConfiguration().nameServers(List.of("10.0.0.1", "dns.example")),
              "properties.dnsConfig.nameServers[1]"
            },
            new Object[] {
              new DnsConfiguration().nameServers(List.of("10.0.0.1")).options("ndots=2"),
              "properties.dnsConfig.options"
            })) {
      ContainerGroup group = Groups.sleeper("Never");
      group.getProperties().dnsConfig((DnsConfiguration) bad[0]);
      assertThatThrownBy(
              () -> api.containerGroupsCreateOrUpdate(sub, "rg", "bad", API_VERSION, group))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.getCode()).isEqualTo(400);
                assertThat(e.getResponseBody())
                    .contains("\"code\":\"InvalidDnsConfig\"")
                    .contains("\"target\":\"" + bad[1] + "\"");
              });
    }
    assertThatThrownBy(() -> api.containerGroupsGet(sub, "rg", "bad", API_VERSION))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }
}
